"""Start a program that cannot open outbound network connections (Linux).

``python netgraph/stores/sandbox.py --no-outbound -- PROGRAM ARGS…`` installs
the filter on itself and then *replaces itself* with the program (``execv``),
so the program runs under it from its first instruction and so do its
children. :class:`~netgraph.stores.serve.Engine` starts the Oxigraph server
this way. A seccomp filter makes ``connect()`` fail with ``EPERM`` (and ``io_uring``,
which could connect without that call): a server only *accepts*
connections, so answering is unaffected, but a query's ``SERVICE`` clause
(or anything else) can never open a connection to another address, whatever
the query text looks like. This is the guarantee against server-side request
forgery; the front's refusal of ``SERVICE`` only adds a clear message. The
filter is installed with ``PR_SET_NO_NEW_PRIVS`` and is inherited by every
child; it is available on Linux on x86-64 and AArch64
(:func:`can_block_outbound`).

It also turns core dumps off (``RLIMIT_CORE`` 0): a crashed engine exits at
once, and its sockets close, instead of writing gigabytes first.

(The engine's memory is bounded by :class:`~netgraph.stores.serve.Engine`'s
watcher on its resident size, not by ``RLIMIT_AS``: Oxigraph reserves address
space for every connection thread, so an address-space limit would fail
idle servers under many clients.)
"""

from __future__ import annotations

import argparse
import ctypes
import os
import platform
import resource
import struct
import sys

__all__ = ["block_outbound", "can_block_outbound", "sandboxed_command"]

# (AUDIT_ARCH_*, __NR_connect, __NR_io_uring_setup) per machine
_ARCH = {"x86_64": (0xC000003E, 42, 425), "aarch64": (0xC00000B7, 203, 425)}
_PR_SET_NO_NEW_PRIVS, _PR_SET_SECCOMP, _SECCOMP_MODE_FILTER = 38, 22, 2
_RET_ALLOW, _RET_EPERM = 0x7FFF0000, 0x00050000 | 1
_LD_ABS, _JEQ, _JGE, _RET = 0x20, 0x15, 0x35, 0x06  # BPF_LD|W|ABS, BPF_JMP|JEQ|K, BPF_JMP|JGE|K, BPF_RET|K
_X32_BIT = 0x40000000  # x86-64's x32 system calls: refused altogether


class _Fprog(ctypes.Structure):
    _fields_ = [("len", ctypes.c_ushort), ("filter", ctypes.c_void_p)]


def can_block_outbound() -> bool:
    """Whether :func:`block_outbound` works on this machine (Linux, x86-64 or AArch64)."""
    return sys.platform == "linux" and platform.machine() in _ARCH


def _filter_program() -> bytes:
    arch, nr_connect, nr_io_uring = _ARCH[platform.machine()]

    def ins(code: int, jt: int, jf: int, k: int) -> bytes:
        return struct.pack("HBBI", code, jt, jf, k)

    return b"".join([
        ins(_LD_ABS, 0, 0, 4),              # 0: A = seccomp_data.arch
        ins(_JEQ, 1, 0, arch),              # 1: native architecture? go on at 3
        ins(_RET, 0, 0, _RET_EPERM),        # 2: any other ABI: refused
        ins(_LD_ABS, 0, 0, 0),              # 3: A = seccomp_data.nr
        ins(_JEQ, 3, 0, nr_connect),        # 4: connect -> 8
        ins(_JEQ, 2, 0, nr_io_uring),       # 5: io_uring_setup -> 8
        ins(_JGE, 1, 0, _X32_BIT),          # 6: x32 call -> 8
        ins(_RET, 0, 0, _RET_ALLOW),        # 7: everything else
        ins(_RET, 0, 0, _RET_EPERM),        # 8: refused with EPERM
    ])


def block_outbound() -> None:
    """Make every later ``connect()`` of this process and its children fail (Linux seccomp filter)."""
    if not can_block_outbound():
        raise OSError(f"outbound connections cannot be blocked on {sys.platform}/{platform.machine()}")
    libc = ctypes.CDLL(None, use_errno=True)
    program = ctypes.create_string_buffer(_filter_program())
    fprog = _Fprog(len(program.raw) // 8, ctypes.addressof(program))
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 or \
            libc.prctl(_PR_SET_SECCOMP, _SECCOMP_MODE_FILTER, ctypes.byref(fprog), 0, 0) != 0:
        errno = ctypes.get_errno()
        raise OSError(errno, f"cannot install the seccomp filter: {os.strerror(errno)}")


def sandboxed_command(cmd: list[str], *, no_outbound: bool) -> list[str]:
    """The command line that runs ``cmd`` confined (see the module)."""
    out = [sys.executable, "-I", __file__]  # this file alone: only the standard library, a fast start
    if no_outbound:
        out.append("--no-outbound")
    return out + ["--", *cmd]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="sandbox.py", description=__doc__.split("\n")[0])
    ap.add_argument("--no-outbound", action="store_true", help="block outbound connections (Linux)")
    ap.add_argument("cmd", nargs=argparse.REMAINDER)
    args = ap.parse_args(argv)
    cmd = args.cmd[1:] if args.cmd[:1] == ["--"] else args.cmd
    if not cmd:
        ap.error("no program to run")
    try:
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # a crashed engine exits at once, with no core dump
        if args.no_outbound:
            block_outbound()
        os.execv(cmd[0], cmd)
    except OSError as exc:
        print(f"netgraph sandbox: cannot start {cmd[0]}: {exc}", file=sys.stderr)
        raise SystemExit(126) from None


if __name__ == "__main__":
    main()
