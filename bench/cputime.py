#!/usr/bin/env python3
"""The CPU time of a command and of every process it starts, including those that outlive it.

Usage: cputime.py OUT COMMAND [ARGS...]

Runs COMMAND as a child of this process, made a child subreaper: a process the command
starts and detaches (ssh's ControlPersist masters, which ansible-playbook leaves running)
becomes this process's child instead of init's. Once COMMAND returns, those leftovers are
stopped (SIGTERM, SIGKILL after 10 s) and reaped, so their CPU time is counted too; then
the user and system CPU seconds of them all are written to OUT as "USER SYS". Exits with
COMMAND's status.
"""

import ctypes
import os
import resource
import signal
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36


def children() -> list[int]:
    """This process's children, from /proc (the leftovers reparented to it)."""
    me, found = os.getpid(), []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", encoding="utf-8", errors="replace") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == me:
            found.append(int(entry))
    return found


def signal_all(pids: list[int], signum: int) -> None:
    for pid in pids:
        try:
            os.kill(pid, signum)
        except ProcessLookupError:
            pass


def reap(timeout: float) -> bool:
    """Reap children until none is left (True) or timeout seconds pass (False)."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return True
        if pid == 0:
            if time.monotonic() >= deadline:
                return False
            time.sleep(0.1)


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    out, command = sys.argv[1], sys.argv[2:]
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print(f"cputime: prctl(PR_SET_CHILD_SUBREAPER): {os.strerror(ctypes.get_errno())}", file=sys.stderr)
        return 2
    status = subprocess.call(command)
    signal_all(children(), signal.SIGTERM)
    if not reap(10):
        signal_all(children(), signal.SIGKILL)
        reap(10)
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    with open(out, "w", encoding="utf-8") as handle:
        handle.write(f"{usage.ru_utime:.2f} {usage.ru_stime:.2f}\n")
    return status


if __name__ == "__main__":
    raise SystemExit(main())
