"""Server settings: one pydantic BaseSettings, every field documented (docs/settings.md, test-enforced).

Environment variables are ``POLICYKG_<FIELD>`` (e.g. ``POLICYKG_API_TOKEN``).
"""

from __future__ import annotations

from enum import Enum
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Backend(str, Enum):
    oxigraph = "oxigraph"
    rdflib = "rdflib"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="POLICYKG_", extra="ignore")

    store: Path | None = Field(None, description="Directory of a built on-disk store; unset = build the bundled graph in memory at start-up.")
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
    access_log: bool = Field(False, description="Log every request (uvicorn access log).")
    default_lang: str = Field("ja", description="Language of pages when ?lang= is not given (ja or en).")
