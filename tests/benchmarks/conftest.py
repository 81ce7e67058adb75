"""Tests of the benchmark generators in benchmarks/ (imported from the project root)."""
