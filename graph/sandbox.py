"""Confine a query worker so that no query can reach the network or read a file, whatever it says.

The SPARQL guard (:mod:`policykg.graph.sparql_guard`) refuses SERVICE, LOAD and foreign graphs on the
parsed query; this module makes the same capabilities impossible in the process that evaluates, so a
guard mistake or an engine that reads the query differently still fetches nothing. Three layers, each
applied where the kernel offers it (Linux):

* a fresh **network namespace** (``unshare(CLONE_NEWNET)``, when the process may): no interface but a
  loopback that is down, so even an allowed socket has nowhere to go;
* **Landlock** (Linux ≥ 5.13): every file-system access is refused except reads below the paths
  given (a worker serving an on-disk store reads that store's directory and nothing else), and TCP
  bind/connect are refused (ABI ≥ 4);
* a **seccomp** filter on every thread: ``socket``, ``connect``, ``bind``, ``listen``, ``accept``,
  ``execve``, ``io_uring_*``, ``ptrace``, ``bpf``, ``open_by_handle_at`` and friends fail with EACCES;
  with no readable paths, ``open``/``openat``/``openat2``/``creat`` fail too.

:func:`confine` is called once, early in the worker, after :func:`warm_up`-style imports (a confined
process cannot import a module it has not loaded yet). :func:`available` says what this kernel offers.
"""

from __future__ import annotations

import ctypes
import errno
import os
import platform
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from policykg.errors import PolicyKGError

__all__ = ["Confinement", "SandboxUnavailable", "available", "confine"]


class SandboxUnavailable(PolicyKGError):
    """The kernel offers no way to confine a worker (not Linux, or seccomp switched off)."""


@dataclass(frozen=True)
class Confinement:
    """What :func:`confine` put in place (reported by the worker, shown by ``policykg serve``)."""

    seccomp: bool
    landlock_abi: int
    network_namespace: bool
    files_closed: bool
    """True when no file outside the readable paths can be opened."""
    readable: tuple[str, ...] = ()
    """The directories below which files can still be read (an on-disk store the worker opens
    read-only); empty = no file at all."""


# --- syscall numbers ---------------------------------------------------------------------------

_AUDIT_ARCH = {"x86_64": 0xC000003E, "aarch64": 0xC00000B7}
_SYSCALLS = {
    # name: (x86_64, aarch64)
    "socket": (41, 198), "connect": (42, 203), "accept": (43, 202), "bind": (49, 200), "listen": (50, 201),
    "accept4": (288, 242), "execve": (59, 221), "execveat": (322, 281), "ptrace": (101, 117),
    "process_vm_readv": (310, 270), "process_vm_writev": (311, 271), "bpf": (321, 280),
    "userfaultfd": (323, 282), "perf_event_open": (298, 241), "setns": (308, 268), "unshare": (272, 97),
    "name_to_handle_at": (303, 264), "open_by_handle_at": (304, 265),
    "io_uring_setup": (425, 425), "io_uring_enter": (426, 426), "io_uring_register": (427, 427),
    "landlock_create_ruleset": (444, 444), "landlock_add_rule": (445, 445), "landlock_restrict_self": (446, 446),
    "seccomp": (317, 277),
}
_FILE_SYSCALLS = {"open": (2, None), "creat": (85, None), "openat": (257, 56), "openat2": (437, 437)}
_ALWAYS_DENIED = tuple(n for n in _SYSCALLS if not n.startswith("landlock") and n != "seccomp")

_PR_SET_NO_NEW_PRIVS = 38
_SECCOMP_SET_MODE_FILTER = 1
_SECCOMP_FILTER_FLAG_TSYNC = 1
_SECCOMP_RET_ALLOW = 0x7FFF0000
_SECCOMP_RET_ERRNO = 0x00050000
_CLONE_NEWNET = 0x40000000
_X32_SYSCALL_BIT = 0x40000000

# BPF opcodes
_LD_W_ABS = 0x20
_JEQ_K = 0x15
_JGE_K = 0x35
_RET_K = 0x06

# Landlock
_LL_CREATE_RULESET_VERSION = 1
_LL_RULE_PATH_BENEATH = 1
_LL_READ_FILE = 1 << 2
_LL_READ_DIR = 1 << 3
_LL_NET_ALL = (1 << 0) | (1 << 1)  # BIND_TCP | CONNECT_TCP (ABI 4)
_LL_SCOPE_ALL = (1 << 0) | (1 << 1)  # abstract UNIX sockets, signals (ABI 6)
_O_PATH = 0o10000000


def _arch() -> str | None:
    machine = platform.machine().lower()
    return {"amd64": "x86_64", "arm64": "aarch64"}.get(machine, machine) if machine else None


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _syscall(nr: int, *args: object) -> int:
    libc = _libc()
    libc.syscall.restype = ctypes.c_long
    result = libc.syscall(ctypes.c_long(nr), *args)
    if result < 0:
        err = ctypes.get_errno()
        raise OSError(err, os.strerror(err))
    return int(result)


def _nr(table: dict[str, tuple[int | None, int | None]], name: str, arch: str) -> int | None:
    return table[name][0 if arch == "x86_64" else 1]


# --- availability ------------------------------------------------------------------------------


def landlock_abi() -> int:
    """The kernel's Landlock ABI version (0 = not available)."""
    arch = _arch()
    if platform.system() != "Linux" or arch not in _AUDIT_ARCH:
        return 0
    try:
        return _syscall(_nr(_SYSCALLS, "landlock_create_ruleset", arch), None, ctypes.c_size_t(0),
                        ctypes.c_uint32(_LL_CREATE_RULESET_VERSION))
    except OSError:
        return 0


def available() -> bool:
    """Whether :func:`confine` can run here (Linux on x86_64 or aarch64 with seccomp)."""
    if platform.system() != "Linux" or _arch() not in _AUDIT_ARCH:
        return False
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            return any(line.startswith("Seccomp:") for line in status)
    except OSError:
        return False


# --- seccomp -----------------------------------------------------------------------------------


def _filter_program(arch: str, denied: Sequence[int]) -> bytes:
    """A classic-BPF seccomp program: allow everything but ``denied`` (EACCES), and deny every call
    made with another architecture's numbers (or the x32 ABI) so no alias slips through."""
    deny = _SECCOMP_RET_ERRNO | errno.EACCES
    body: list[tuple[int, int, int, int]] = []
    # 0: load arch; 1: wrong arch -> deny (jump to the final deny)
    n_checks = len(denied) + (1 if arch == "x86_64" else 0)
    total = 3 + n_checks + 2  # ld arch, jeq arch, ld nr, checks, ret allow, ret deny
    deny_at = total - 1
    body.append((_LD_W_ABS, 0, 0, 4))
    body.append((_JEQ_K, 0, deny_at - 2, _AUDIT_ARCH[arch]))
    body.append((_LD_W_ABS, 0, 0, 0))
    if arch == "x86_64":
        i = len(body)
        body.append((_JGE_K, deny_at - i - 1, 0, _X32_SYSCALL_BIT))
    for nr in denied:
        i = len(body)
        body.append((_JEQ_K, deny_at - i - 1, 0, nr))
    body.append((_RET_K, 0, 0, _SECCOMP_RET_ALLOW))
    body.append((_RET_K, 0, 0, deny))
    return b"".join(struct.pack("HBBI", *ins) for ins in body)


def _install_seccomp(arch: str, deny_files: bool) -> None:
    names = list(_ALWAYS_DENIED)
    denied = [n for n in (_nr(_SYSCALLS, name, arch) for name in names) if n is not None]
    if deny_files:
        denied += [n for n in (_nr(_FILE_SYSCALLS, name, arch) for name in _FILE_SYSCALLS) if n is not None]
    program = _filter_program(arch, denied)
    buf = ctypes.create_string_buffer(program, len(program))

    class SockFprog(ctypes.Structure):
        _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]

    prog = SockFprog(len(program) // 8, ctypes.cast(buf, ctypes.c_void_p))
    _syscall(_nr(_SYSCALLS, "seccomp", arch), ctypes.c_uint(_SECCOMP_SET_MODE_FILTER),
             ctypes.c_uint(_SECCOMP_FILTER_FLAG_TSYNC), ctypes.byref(prog))


# --- landlock ----------------------------------------------------------------------------------


def _fs_rights(abi: int) -> int:
    if abi >= 5:
        return (1 << 16) - 1
    if abi >= 3:
        return (1 << 15) - 1
    if abi >= 2:
        return (1 << 14) - 1
    return (1 << 13) - 1


def _install_landlock(arch: str, abi: int, readable: Sequence[Path]) -> None:
    fields = [_fs_rights(abi)]
    if abi >= 4:
        fields.append(_LL_NET_ALL)
    if abi >= 6:
        fields.append(_LL_SCOPE_ALL)
    attr = struct.pack(f"{len(fields)}Q", *fields)
    attr_buf = ctypes.create_string_buffer(attr, len(attr))
    ruleset = _syscall(_nr(_SYSCALLS, "landlock_create_ruleset", arch), attr_buf, ctypes.c_size_t(len(attr)),
                       ctypes.c_uint32(0))
    try:
        for path in readable:
            fd = os.open(str(path), _O_PATH | os.O_CLOEXEC)
            try:
                rule = struct.pack("=Qi", _LL_READ_FILE | _LL_READ_DIR, fd)
                rule_buf = ctypes.create_string_buffer(rule, len(rule))
                _syscall(_nr(_SYSCALLS, "landlock_add_rule", arch), ctypes.c_int(ruleset),
                         ctypes.c_int(_LL_RULE_PATH_BENEATH), rule_buf, ctypes.c_uint32(0))
            finally:
                os.close(fd)
        _syscall(_nr(_SYSCALLS, "landlock_restrict_self", arch), ctypes.c_int(ruleset), ctypes.c_uint32(0))
    finally:
        os.close(ruleset)


def _threads() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 1


# --- entry point -------------------------------------------------------------------------------


def confine(*, readable: Sequence[Path] = ()) -> Confinement:
    """Take network access and file access (but reads below ``readable``) away from this process for good.

    Call it while the process has a single thread (Landlock binds the calling thread and the threads
    it starts later; seccomp is synchronised to every thread). It cannot be undone.

    :raises SandboxUnavailable: not Linux on x86_64/aarch64, seccomp refused, or ``readable`` was given
        while Landlock is missing (files could then not be limited to those paths).
    """
    arch = _arch()
    if not available() or arch is None:
        raise SandboxUnavailable(
            "このOSではクエリ実行環境を隔離できません / query workers cannot be confined on this system "
            "(needs Linux with seccomp on x86_64 or aarch64)"
        )
    abi = landlock_abi()
    if readable and abi == 0:
        raise SandboxUnavailable(
            "Landlock がないため読み取り範囲を限定できません / Landlock is missing: file reads cannot be limited to the store"
        )
    netns = False
    try:
        _syscall(_nr(_SYSCALLS, "unshare", arch), ctypes.c_int(_CLONE_NEWNET))
        netns = True
    except OSError:
        netns = False  # unprivileged: seccomp and Landlock still close the network
    try:
        libc = _libc()
        if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
            err = ctypes.get_errno()
            raise OSError(err, os.strerror(err))
        if abi and _threads() == 1:
            _install_landlock(arch, abi, readable)
        elif abi and readable:
            raise SandboxUnavailable(
                "スレッド起動後は Landlock を適用できません / Landlock must be applied before threads start"
            )
        else:
            abi = 0
        _install_seccomp(arch, deny_files=not readable)
    except OSError as exc:
        raise SandboxUnavailable(
            f"クエリ実行環境を隔離できませんでした / could not confine the query worker: {exc.strerror}"
        ) from None
    return Confinement(seccomp=True, landlock_abi=abi, network_namespace=netns, files_closed=True,
                       readable=tuple(str(p) for p in readable))
