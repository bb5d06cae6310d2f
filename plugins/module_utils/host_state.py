# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""What the probe modules read on a host, in one place: a file's sha1, the record of a
rendered file (sha1, owner, group, mode), which Debian packages are installed, what
systemctl says about a unit, processes' start times and files' times.

Each role's probe module asks the host every question of a run in one round trip; they
share these helpers. They only read, need nothing but the standard library, and take
the /proc directory (and the clock) as arguments so they can be tested with fake ones.
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import stat
import subprocess
import time

PROC = "/proc"


def run(*argv: str, stream: str = "stdout") -> str:
    """What a command printed on stream ("stdout" or "stderr"), "" when it cannot run."""
    try:
        return getattr(subprocess.run(argv, capture_output=True, text=True, check=False), stream)
    except OSError:
        return ""


def sha1(path: str) -> str:
    """The sha1 of a file's content, "" when it does not exist or cannot be read."""
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return ""


def ownership(st: os.stat_result) -> dict:
    """The owner's and the group's names (their numbers when the host has no such name)
    and the permission bits as four octal digits, e.g. "0644"."""
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"owner": owner, "group": group, "mode": format(stat.S_IMODE(st.st_mode), "04o")}


def rendered(path: str):
    """What a role compares with the file it would render: its sha1 ("" for a directory or
    anything else that is not a regular file), owner, group and mode; None when nothing
    is at the path."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    record = {"sha1": sha1(path) if stat.S_ISREG(st.st_mode) else ""}
    record.update(ownership(st))
    return record


def installed_packages(status: str) -> list:
    """The packages dpkg-query lists as installed ("ii"), from the output of
    `dpkg-query --show --showformat '${db:Status-Abbrev}${Package}\\n' ...`."""
    return [line[3:].strip() for line in status.splitlines() if line.startswith("ii ")]


def dpkg_installed(packages: list) -> list:
    """Which of the packages are installed (dpkg-query lists every package when given none)."""
    return installed_packages(run("dpkg-query", "--show", "--showformat", "${db:Status-Abbrev}${Package}\n", *packages))


def unit_is(verb: str, unit: str) -> str:
    """What `systemctl is-enabled|is-active UNIT` prints, e.g. "enabled" or "active"."""
    return run("systemctl", verb, unit).strip()


def unit_show(unit: str, *properties: str) -> dict:
    """The unit's properties from `systemctl show`, as strings ({} when systemctl cannot run)."""
    shown = run("systemctl", "show", "--property", ",".join(properties), unit)
    return dict(line.split("=", 1) for line in shown.splitlines() if "=" in line)


def boot_time(uptime: str = PROC + "/uptime", now=None) -> float:
    """When the host booted, in epoch seconds to 1/100 s: now minus /proc/uptime (not
    /proc/stat's btime, which is whole seconds)."""
    with open(uptime, encoding="ascii") as handle:
        up = float(handle.read().split()[0])
    return (time.time() if now is None else now) - up


def stat_fields(pid, proc: str = PROC) -> list:
    """The fields of /proc/PID/stat after the command name (which may hold spaces and
    parentheses): [0] is the state, [1] the parent's pid, [19] the start in clock ticks."""
    with open(f"{proc}/{pid}/stat", encoding="ascii") as handle:
        return handle.read().rsplit(")", 1)[1].split()


def started(pids: list, proc: str = PROC, boot=None, ticks=None) -> dict:
    """Each process's start, in epoch seconds to a clock tick; a process that is gone (or
    whose stat cannot be read) is left out."""
    boot = boot_time(f"{proc}/uptime") if boot is None else boot
    ticks = os.sysconf("SC_CLK_TCK") if ticks is None else ticks
    starts = {}
    for pid in pids:
        try:
            starts[pid] = boot + int(stat_fields(pid, proc)[19]) / ticks
        except (OSError, IndexError, ValueError):
            continue
    return starts


def children(pid: int, proc: str = PROC) -> list:
    """The processes whose parent is pid."""
    found = []
    for entry in os.listdir(proc):
        if entry.isdigit():
            try:
                if int(stat_fields(entry, proc)[1]) == pid:
                    found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def cmdline(pid, proc: str = PROC) -> bytes:
    """A process's command line as the kernel keeps it (NUL-separated), b"" when it is gone."""
    try:
        with open(f"{proc}/{pid}/cmdline", "rb") as handle:
            return handle.read()
    except OSError:
        return b""


def mtime(path: str, change: bool = False, follow: bool = True) -> float:
    """A file's modification time (its change time with change: a package or pip replaces
    a binary with a file that keeps its build's mtime; a link's own with follow=False),
    0 when it is missing."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except OSError:
        return 0.0
    return st.st_ctime if change else st.st_mtime


def files_argument_spec() -> dict:
    """The options of the questions about files the probes share (doc fragment
    pywebstack.webstack.probe.files): which paths exist, files' sha1, rendered files."""
    return {
        "paths": {"type": "list", "elements": "path", "required": True},
        "files": {"type": "list", "elements": "path", "required": True},
        "rendered": {"type": "list", "elements": "path", "required": True},
    }


def files_state(params: dict) -> dict:
    """The answers to files_argument_spec's questions: for each path whether it exists,
    for each file its sha1, for each rendered file its record (see rendered)."""
    return {
        "paths": {path: os.path.exists(path) for path in params["paths"]},
        "files": {path: sha1(path) for path in params["files"]},
        "rendered": {path: rendered(path) for path in params["rendered"]},
    }


def master_pid(ref: str, proc: str = PROC) -> int:
    """A uWSGI master's pid: for "procname:INSTANCE" (an Emperor's vassal) the process whose
    title is "INSTANCE uWSGI master" (uWSGI's auto-procname), else the MainPID of the
    systemd unit named ref; 0 when none runs."""
    if ref.startswith("procname:"):
        title = f"{ref[len('procname:'):]} uWSGI master".encode()
        for entry in os.listdir(proc):
            if entry.isdigit() and cmdline(entry, proc).replace(b"\0", b" ").strip() == title:
                return int(entry)
        return 0
    return int(unit_show(ref, "MainPID").get("MainPID") or 0)


def stale_workers(main_pid: int, since: float, proc: str = PROC, boot=None, ticks=None) -> list:
    """The master's workers that started before since (a touch-reload file's time), which a
    chain reload has yet to replace. uWSGI keeps a reload file's time in whole seconds, so a
    worker started less than a second before it counts as new (as the health check does)."""
    workers = started(children(main_pid, proc), proc, boot, ticks)
    return sorted(pid for pid, start in workers.items() if start < since - 1)


def wake_master(fifo: str) -> bool:
    """Wake a uWSGI master's event loop with a byte its master FIFO maps to no command (a
    newline); False when no master reads the FIFO."""
    try:
        # Non-blocking: with no master reading the FIFO, opening it fails at once (ENXIO).
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return False
    try:
        os.write(descriptor, b"\n")
    except OSError:
        pass
    finally:
        os.close(descriptor)
    return True


def keep_waking(fifo: str, main_pid: int, since: float, seconds: float, proc: str = PROC,
                interval: float = 0.05, sleep=time.sleep, clock=time.monotonic) -> int:
    """Wake the master every interval until none of its workers is older than since, its
    FIFO has no reader or seconds passed; returns how many times it woke it. An idle master
    runs its loop once a second, and a chain reload moves on to the next worker only in it."""
    deadline = clock() + seconds
    woken = 0
    while clock() < deadline:
        if (woken % 5 == 0 and children(main_pid, proc) and not stale_workers(main_pid, since, proc)) \
                or not wake_master(fifo):
            break
        woken += 1
        sleep(interval)
    return woken


def detach(work) -> None:
    """Run work() in a process of its own, detached from the caller (a new session, its
    standard streams on /dev/null, no other descriptor kept): the caller returns at once
    and Ansible's connection does not wait for it."""
    child = os.fork()
    if child:
        os.waitpid(child, 0)
        return
    try:
        os.setsid()
        if os.fork():
            os._exit(0)
        null = os.open(os.devnull, os.O_RDWR)
        for descriptor in (0, 1, 2):
            os.dup2(null, descriptor)
        os.closerange(3, 65536)
        work()
    finally:
        os._exit(0)
