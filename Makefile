# Quick start: `make serve` (server with the bundled Hokkaido graph) and `make test` (whole suite).
.PHONY: setup serve test bench

setup:
	bash scripts/setup.sh

serve: setup
	.venv/bin/policykg serve

test:
	bash scripts/setup.sh --test
	.venv/bin/python -m pytest -n 2 -q

bench:
	bash scripts/setup.sh --test
	.venv/bin/python -m benchmarks.graph_bench
	.venv/bin/python benchmarks/load_bench.py
	.venv/bin/python benchmarks/viz_bench.py
	.venv/bin/python benchmarks/gaps_bench.py
	.venv/bin/python benchmarks/flood_bench.py
	.venv/bin/python benchmarks/workbook_bench.py
