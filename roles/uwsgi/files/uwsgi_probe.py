"""Read, in one round trip, what the uwsgi role would otherwise ask the host task by task.

Usage: python3 -c SOURCE '{"binary": PATH, "units": [UNIT, ...], "paths": [PATH, ...], "files": [PATH, ...], "rendered": [PATH, ...],
                          "stats": {"own": [INI, ...], "dirs": [DIR, ...]},
                          "applied": {UNIT: {"unit": PATH, "reload": [PATH, ...]}}}'
Prints one JSON object: the version of the uWSGI binary ("" when there is none), the
kernel's net.core.somaxconn, whether logrotate is installed, for each unit whether its
file exists in /etc/systemd/system and whether it is enabled and active, for each path
whether it exists, for each file its sha1 ("" when it does not exist), and for each
rendered file its sha1, owner, group and mode (null when it does not exist), and the stats
addresses: the first `stats = ` value of the instance's own inis ("" when none has one)
and those of every other ini in the dirs. For each unit in "applied", whether what runs
is older than the files on disk (a run cut between writing a file and its handler): "restart"
when its unit file or the binary is newer than its main process (or systemd has not read the
unit file yet), "reload" when a file in its "reload" list is newer than its oldest worker.
Reads only; needs nothing but the standard library.
"""

import grp
import hashlib
import json
import os
import pwd
import stat
import subprocess
import sys
import time


def run(*argv: str) -> str:
    try:
        return subprocess.run(argv, capture_output=True, text=True, check=False).stdout.strip()
    except OSError:
        return ""


def sha1(path: str) -> str:
    try:
        with open(path, "rb") as handle:
            return hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        return ""


def rendered(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"sha1": sha1(path), "owner": owner, "group": group, "mode": format(stat.S_IMODE(st.st_mode), "04o")}


def stats_line(path: str) -> str:
    """The value of an ini's `stats = ` line, "" when it has none or cannot be read."""
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            for line in handle:
                key, sep, value = line.partition("=")
                if sep and key.strip() == "stats":
                    return value.strip()
    except OSError:
        pass
    return ""


def stats(own: list, dirs: list) -> dict:
    """The instance's own stats address, and the other instances' on the host."""
    others = []
    for directory in dirs:
        try:
            names = sorted(os.listdir(directory))
        except OSError:
            continue
        others += [stats_line(os.path.join(directory, name)) for name in names
                   if name.endswith(".ini") and os.path.join(directory, name) not in own]
    return {"own": next((value for value in map(stats_line, own) if value), ""),
            "others": [value for value in others if value]}


def started(pids: list) -> dict:
    """Each process's start, in epoch seconds to a clock tick: the boot time is taken from
    /proc/uptime (1/100 s), not /proc/stat's btime (whole seconds)."""
    with open("/proc/uptime", encoding="ascii") as handle:
        boot = time.time() - float(handle.read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    starts = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                starts[pid] = boot + int(handle.read().rsplit(")", 1)[1].split()[19]) / ticks
        except (OSError, IndexError, ValueError):
            continue
    return starts


def children(pid: int) -> list:
    """The processes whose parent is pid."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    if int(handle.read().rsplit(")", 1)[1].split()[1]) == pid:
                        found.append(int(entry))
            except (OSError, IndexError, ValueError):
                continue
    return found


def mtime(path: str, change: bool = False) -> float:
    """A file's modification time (its change time with change: a package or pip replaces
    a binary with a file that keeps its build's mtime), 0 when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return 0.0
    return st.st_ctime if change else st.st_mtime


def applied(unit: str, unit_file: str, binary: str, reload_files: list) -> dict:
    """Whether the running unit is older than its files: restart and reload still owed."""
    shown = dict(line.split("=", 1) for line in run("systemctl", "show", "--property", "MainPID,NeedDaemonReload",
                                                    unit).splitlines() if "=" in line)
    main_pid = int(shown.get("MainPID") or 0)
    if main_pid <= 0:
        return {"restart": False, "reload": False}
    master = started([main_pid]).get(main_pid, 0.0)
    workers = list(started(children(main_pid)).values())
    return {
        "restart": shown.get("NeedDaemonReload") == "yes"
        or max(mtime(unit_file), mtime(binary, change=True)) > master,
        "reload": bool(workers) and max([mtime(path) for path in reload_files] + [0.0]) > min(workers),
    }


def main() -> int:
    want = json.loads(sys.argv[1])
    with open("/proc/sys/net/core/somaxconn", encoding="ascii") as handle:
        somaxconn = int(handle.read())
    print(json.dumps({
        "version": run(want["binary"], "--version") if os.access(want["binary"], os.X_OK) else "",
        "somaxconn": somaxconn,
        "logrotate": run("dpkg-query", "--show", "--showformat", "${db:Status-Abbrev}", "logrotate").startswith("ii"),
        "units": {
            unit: {
                "file": os.path.exists(f"/etc/systemd/system/{unit}"),
                "enabled": run("systemctl", "is-enabled", unit) == "enabled",
                "active": run("systemctl", "is-active", unit) == "active",
            }
            for unit in want["units"]
        },
        "paths": {path: os.path.exists(path) for path in want["paths"]},
        "files": {path: sha1(path) for path in want["files"]},
        "rendered": {path: rendered(path) for path in want["rendered"]},
        "stats": stats(want["stats"]["own"], want["stats"]["dirs"]),
        "applied": {unit: applied(unit, files["unit"], want["binary"], files["reload"])
                    for unit, files in want["applied"].items()},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
