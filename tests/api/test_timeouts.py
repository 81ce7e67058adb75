"""Read timeouts of ``policykg serve`` (issue 9, item 5): a client that stalls or trickles its request
head or body is cut off after ``header_timeout`` / ``body_timeout``; an oversized head is refused.

Each test runs the real server (uvicorn with ``policykg serve``'s options) on a loopback port and talks
to it over a raw socket, so nothing in between buffers or times out for it. Every wait is bounded.
"""

from __future__ import annotations

import json
import socket
import time
from urllib.parse import urlsplit

import pytest

from live_server import live_server

HEADER_TIMEOUT = 1.0
BODY_TIMEOUT = 1.0
GRACE = 3.0
"""How much later than its deadline the server may cut a connection (a loaded 2-core machine)."""

PARSERS = ["httptools", "h11"]


@pytest.fixture(params=PARSERS, scope="module")
def server(request):
    with live_server(parser=request.param, header_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT,
                     max_header_bytes=8192) as url:
        yield urlsplit(url).port


def _connect(port: int) -> socket.socket:
    sock = socket.create_connection(("127.0.0.1", port), timeout=BODY_TIMEOUT + HEADER_TIMEOUT + GRACE + 2)
    return sock


def _read_until_closed(sock: socket.socket, limit: float) -> tuple[bytes, float]:
    """Everything the server sends until it closes the connection, and how long that took.

    Fails if the connection is still open after ``limit`` seconds."""
    start = time.monotonic()
    sock.settimeout(0.2)
    data = b""
    while True:
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            chunk = None
        except ConnectionResetError:
            break
        if chunk == b"":
            break
        if chunk:
            data += chunk
        assert time.monotonic() - start < limit, f"the server kept the connection open for {limit} s; got {data[:200]!r}"
    return data, time.monotonic() - start


def _status_and_json(data: bytes) -> tuple[int, dict]:
    head, _, body = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    return status, json.loads(body) if body else {}


FORM_HEAD = (
    b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    b"Content-Length: 100\r\n\r\n"
)


def _answer_in_time(port: int) -> None:
    """A body sent in two parts, the pause well inside ``body_timeout``, is answered."""
    with _connect(port) as sock:
        body = b"query=" + b"ASK%7B%7D"
        head = (b"POST /sparql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n"
                b"Accept: application/sparql-results+json\r\nConnection: close\r\n"
                b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n")
        sock.sendall(head + body[:4])
        time.sleep(BODY_TIMEOUT * 0.3)
        sock.sendall(body[4:])
        data, _ = _read_until_closed(sock, 15)
    status, answer = _status_and_json(data)
    assert status == 200 and answer == {"head": {}, "boolean": True}, data[:300]


def test_stalled_body_gets_408_and_the_connection_closed(server):
    _answer_in_time(server)
    with _connect(server) as sock:
        sock.sendall(FORM_HEAD + b"query=ASK")  # 9 of the 100 announced bytes, then nothing
        data, took = _read_until_closed(sock, BODY_TIMEOUT + GRACE)
    assert data, "the server closed without an answer"
    status, body = _status_and_json(data)
    assert status == 408, data[:300]
    assert body["ok"] is False and body["status"] == 408 and "request body" in body["error"], body
    assert body["error"].index("/") > 0 and not body["error"].isascii(), "Japanese first, then English"
    assert took >= BODY_TIMEOUT * 0.5, f"cut after {took:.2f} s, before the deadline"


def test_trickled_body_does_not_extend_the_deadline(server):
    with _connect(server) as sock:
        sock.sendall(FORM_HEAD)
        start = time.monotonic()
        sock.settimeout(0.5)
        closed_by_server = False
        # One byte every 0.2 s would take 20 s for the announced 100 bytes.
        while time.monotonic() - start < BODY_TIMEOUT + GRACE:
            try:
                sock.sendall(b"q")
            except (BrokenPipeError, ConnectionResetError):
                closed_by_server = True
                break
            try:
                sock.recv(65536, socket.MSG_PEEK)  # an answer (the 408) or b"" (closed): either way, cut off
                closed_by_server = True
                break
            except socket.timeout:
                pass
            except ConnectionResetError:
                closed_by_server = True
                break
            time.sleep(0.2)
        assert closed_by_server, "a body sent one byte at a time kept the request open past body_timeout"
        assert time.monotonic() - start < BODY_TIMEOUT + GRACE


def test_stalled_head_is_cut_off(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /api/areas HTTP/1.1\r\nHost: 127.0.0.1\r\n")  # no blank line: the head never ends
        data, took = _read_until_closed(sock, HEADER_TIMEOUT + GRACE)
    assert took >= HEADER_TIMEOUT * 0.5
    if data:  # a 408 in the JSON error shape, if anything
        status, body = _status_and_json(data)
        assert status == 408 and body["status"] == 408, data[:300]


def test_trickled_head_is_cut_off(server):
    with _connect(server) as sock:
        sock.sendall(b"GET /api/areas HTTP/1.1\r\n")
        start = time.monotonic()
        cut = False
        while time.monotonic() - start < HEADER_TIMEOUT + GRACE:
            try:
                sock.sendall(b"X-Slow: 1\r\n")
                sock.settimeout(0.3)
                sock.recv(65536, socket.MSG_PEEK)  # an answer (the 408) or b"" (closed): either way, cut off
                cut = True
                break
            except socket.timeout:
                continue
            except (BrokenPipeError, ConnectionResetError):
                cut = True
                break
        assert cut, "a head sent one line at a time kept the connection open past header_timeout"


def test_silent_connection_is_closed(server):
    """A connection that opens and sends nothing is closed after ``header_timeout``, unanswered."""
    _served_after_pauses(server)
    with _connect(server) as sock:
        data, took = _read_until_closed(sock, HEADER_TIMEOUT + GRACE)
    assert data == b"", "nothing was asked, so nothing is answered"


def test_oversized_head_is_refused(server):
    with _connect(server) as sock:
        try:
            sock.sendall(b"GET /api/areas HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n")
        except (BrokenPipeError, ConnectionResetError):
            pass
        data, _ = _read_until_closed(sock, GRACE + 2)
    assert data, "the server closed without an answer"
    status = int(data.split(b" ", 2)[1])
    assert status in (400, 431), data[:300]


def _served_after_pauses(port: int) -> None:
    """The head deadline restarts after every response: a client that waits a little between requests
    on one connection is served each time."""
    request = b"GET /api/areas HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n\r\n"
    with _connect(port) as sock:
        for _ in range(2):
            sock.sendall(request)
            sock.settimeout(10)
            data = b""
            while b"\r\n\r\n" not in data:
                data += sock.recv(65536)
            assert data.startswith(b"HTTP/1.1 200"), data[:200]
            head, _, rest = data.partition(b"\r\n\r\n")
            length = int(next(v for k, _, v in (line.partition(b": ") for line in head.split(b"\r\n"))
                              if k.lower() == b"content-length"))
            while len(rest) < length:
                rest += sock.recv(65536)
            time.sleep(HEADER_TIMEOUT * 0.5)
