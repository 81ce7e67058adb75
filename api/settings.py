"""Server settings: one pydantic BaseSettings, every field documented (docs/settings.md, test-enforced).

Environment variables are ``POLICYKG_<FIELD>`` (e.g. ``POLICYKG_API_TOKEN``).
"""

from __future__ import annotations

from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from policykg.graph.store import Backend


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    store: Path | None = Field(None, description="Directory of a built on-disk store; unset = build the bundled graph in memory at start-up.")
    sparql_endpoint: str | None = Field(None, description="SPARQL 1.1 query endpoint of a shared store server (docs/deploy.md); unset = the embedded store. Not together with store.")
    update_endpoint: str | None = Field(None, description="SPARQL 1.1 update endpoint of the store server; unset = sparql_endpoint.")
    graph_store: str | None = Field(None, description="Graph Store Protocol endpoint of the store server (one PUT per named graph when loading); unset = SPARQL Update.")
    backend: Backend = Field(Backend.oxigraph, description="Store engine: oxigraph (default, fast) or rdflib (pure-Python fallback).")
    host: str = Field("127.0.0.1", description="Address uvicorn listens on.")
    port: int = Field(8000, ge=0, le=65535, description="Port uvicorn listens on.")
    api_token: str | None = Field(None, description="Bearer token that allows SPARQL Update; unset = the endpoint is read-only.")
    query_timeout: float = Field(10.0, gt=0, description="Seconds a SPARQL query may run before its worker process is killed (504).")
    max_rows: int = Field(10000, ge=1, description="Result row (or triple) cap; a capped result keeps the W3C format and says so in the X-PolicyKG-Truncated header.")
    max_body_bytes: int = Field(1_000_000, ge=0, description="Largest request body accepted (413 above), url-encoded and chunked alike.")
    allow_service: bool = Field(False, description="Allow SPARQL SERVICE (federated queries fetch from the network). Off by default.")
    allow_load: bool = Field(False, description="Allow SPARQL LOAD (fetches from the network). Off by default.")
    result_cache_size: int = Field(256, ge=0, description="Finished /sparql answers kept in memory for repeats until the next write; 0 turns the cache off.")
    api_cache_size: int = Field(1024, ge=0, description="JSON API answers (lists, pages, search, trace, entity RDF) kept per store generation; 0 turns the cache off.")
    query_workers: int = Field(1, ge=1, description="Query worker processes that can be killed on timeout; each holds a copy of the data.")
    query_queue_size: int = Field(16, ge=1, description="SPARQL jobs (queries, updates, canned queries, console) that may wait for a worker; when full, the answer is 503 with Retry-After at once.")
    worker_memory_mb: int = Field(4096, ge=64, description="Resident memory a query worker may reach (MB); past it the query is stopped with a clear error and the worker replaced.")
    rate_limit: int = Field(120, ge=0, description="SPARQL jobs per minute one client (IP address) may start, beyond answers served from the cache; above it 429 with Retry-After. 0 turns the limit off.")
    rate_burst: int = Field(30, ge=1, description="SPARQL jobs one client may start at once before rate_limit applies (token-bucket size).")
    max_nesting: int = Field(64, ge=4, le=1000, description="Deepest nesting of { ( [ accepted in a query or update, checked before parsing (400 above).")
    access_log: bool = Field(False, description="Log every request (uvicorn access log).")
    default_lang: str = Field("ja", description="Language of pages when ?lang= is not given (ja or en).")
    cors: bool = Field(True, description="Let pages on other origins run queries and read the JSON API (CORS for /sparql queries and /api/*; never for updates or requests with credentials).")
    header_timeout: float = Field(10.0, gt=0, description="Seconds a client has to send a complete request head (request line and headers); then the connection is closed.")
    body_timeout: float = Field(30.0, gt=0, description="Seconds a client has to send the whole request body once its headers arrived; then 408 and the connection is closed.")
    keep_alive_timeout: int = Field(5, ge=1, description="Seconds an idle keep-alive connection stays open between requests (uvicorn timeout_keep_alive).")
    max_header_bytes: int = Field(65536, ge=1024, description="Largest request head (request line, including a GET query, and headers) in bytes; above it the connection is closed.")
