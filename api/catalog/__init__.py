"""SPARQL-backed read functions for the JSON API and the pages, one module per concept.

Every function takes the store and returns plain dicts/lists (no pydantic, no HTTP), so the
JSON routes, the HTML pages and tests all share one answer.
"""
