"""``policykg serve``: options over environment, and a real server on loopback answering /sparql."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from policykg.api.settings import Backend
from policykg.cli.serve_command import build_settings


def test_options_override_environment(monkeypatch):
    monkeypatch.setenv("POLICYKG_PORT", "9001")
    monkeypatch.setenv("POLICYKG_QUERY_TIMEOUT", "3")
    settings = build_settings(port=9100, host=None, backend=Backend.rdflib)
    assert settings.port == 9100, "an option wins over the environment"
    assert settings.query_timeout == 3.0, "an option not given leaves the environment's value"
    assert settings.backend is Backend.rdflib


def test_token_comes_from_the_named_environment_variable(monkeypatch):
    monkeypatch.setenv("MY_TOKEN", "from-env")
    assert build_settings(token_env="MY_TOKEN").api_token == "from-env"
    monkeypatch.delenv("MY_TOKEN")
    with pytest.raises(ValueError, match="MY_TOKEN"):
        build_settings(token_env="MY_TOKEN")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_serve_answers_sparql_on_loopback():
    port = _free_port()
    exe = Path(sys.executable).with_name("policykg")
    env = {k: v for k, v in os.environ.items() if not k.startswith("POLICYKG_")}
    proc = subprocess.Popen(
        [str(exe), "serve", "--host", "127.0.0.1", "--port", str(port), "--timeout", "5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    query = "PREFIX pk: <https://w3id.org/policykg/ontology#> SELECT (COUNT(?a) AS ?n) WHERE { ?a a pk:PolicyArea }"
    url = f"http://127.0.0.1:{port}/sparql?" + urllib.parse.urlencode({"query": query})
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url, timeout=10) as response:
                    body = json.loads(response.read())
                    headers = response.headers
                break
            except OSError:
                assert proc.poll() is None, proc.stderr.read().decode()
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert body["results"]["bindings"][0]["n"]["value"] == "5"
        assert headers["Content-Security-Policy"] == "default-src 'self'"
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
