"""Read .xlsx workbooks in a child process while the caller reads its other sources.

Reading an .xlsx file is openpyxl's pure-Python XML parsing (about 1.5 s for a workbook of 3,000
indicators) and needs nothing else; parsing it into RDF needs the graph read before it (national
items, other jurisdictions). ``policykg build --add plan.xlsx`` reads the bundled sources first, so on
a machine with a second core the workbook's file is read meanwhile (benchmarks/workbook_bench.py).

Only where that is safe and worth it: a ``fork`` start method (Linux), a process with one thread (never
inside the server, whose threads a fork would copy mid-work), at least two CPUs. Anything that goes
wrong in the child — an unreadable file, a refused sheet, a child that dies — makes :meth:`take`
answer ``None``, and the caller reads the file itself: errors always come from the caller's own read,
the same messages as without a child.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path
from types import TracebackType

from policykg.loaders.workbook.read import WorkbookData, read_xlsx

__all__ = ["WorkbookPrefetch", "can_prefetch"]


def can_prefetch() -> bool:
    """Whether a child process may read ahead here: ``fork`` available, one thread, two CPUs or more."""
    return ("fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
            and len(os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else range(os.cpu_count() or 1)) >= 2)


def _read(path: str) -> WorkbookData:
    return read_xlsx(path)


class WorkbookPrefetch:
    """Reads the given .xlsx files, in order, in one child process; :meth:`take` collects one.

    Without ``paths`` (or where :func:`can_prefetch` says no) nothing is started and :meth:`take`
    answers ``None``.

    >>> with WorkbookPrefetch([]) as ahead:
    ...     ahead.take("plan.xlsx") is None
    True
    """

    def __init__(self, paths: Iterable[str | Path]) -> None:
        wanted = [Path(p) for p in paths if Path(p).suffix.lower() == ".xlsx" and Path(p).is_file()]
        self._pool: ProcessPoolExecutor | None = None
        self._futures: dict[Path, Future[WorkbookData]] = {}
        if wanted and can_prefetch():
            self._pool = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork"))
            self._futures = {p: self._pool.submit(_read, str(p)) for p in wanted}

    def take(self, path: str | Path) -> WorkbookData | None:
        """The file's contents as the child read them, or ``None``: not prefetched, or the child failed."""
        future = self._futures.pop(Path(path), None)
        if future is None:
            return None
        try:
            return future.result()
        except Exception:  # noqa: BLE001 — the caller reads the file itself and reports its own error
            return None

    def close(self) -> None:
        """Stop the child (work not yet collected is dropped)."""
        for future in self._futures.values():
            future.cancel()
        self._futures.clear()
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> WorkbookPrefetch:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()
