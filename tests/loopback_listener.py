"""A loopback TCP listener that counts connections: where a SERVICE, LOAD or FROM would go if a guard let
it through. Tests assert it saw nothing. Importable from any test folder (pytest ``pythonpath = tests``)."""

from __future__ import annotations

import socket
import threading


class Listener:
    """Accepts and closes every connection on 127.0.0.1 (a free port), counting them, until :meth:`close`."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.sock.settimeout(0.2)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/sparql"

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self.sock.close()
