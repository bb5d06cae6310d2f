# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the uwsgi_probe module (standard library only: its action runs it with the
host's Python directly, plugin_utils/host_work.py)."""

from __future__ import annotations

import os

from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import (
    children,
    detach,
    dpkg_installed,
    files_argument_spec,
    files_state,
    keep_waking,
    master_pid,
    mtime,
    run,
    stale_workers,
    started,
    unit_is,
    unit_show,
)

SPEC = {
    "binary": {"type": "path", "required": True},
    "units": {"type": "list", "elements": "str", "required": True},
    "packages": {"type": "list", "elements": "str", "default": []},
    **files_argument_spec(),
    "stats": {
        "type": "dict",
        "required": True,
        "options": {
            "own": {"type": "list", "elements": "path", "required": True},
            "dirs": {"type": "list", "elements": "path", "required": True},
        },
    },
    "applied": {"type": "dict", "required": True},
    "wake": {
        "type": "dict",
        "options": {
            "fifo": {"type": "path", "required": True},
            "master": {"type": "str", "required": True},
            "since": {"type": "list", "elements": "path", "required": True},
            "seconds": {"type": "int", "default": 60},
        },
    },
}


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


def applied(unit: str, unit_file: str, binary: str, reload_files: list) -> dict:
    """Whether the running unit is older than its files: restart and reload still owed."""
    shown = unit_show(unit, "MainPID", "NeedDaemonReload")
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


def wake(options: dict, proc: str = "/proc", spawn=detach) -> bool:
    """Start waking the master (O(wake)) when a touch-reload file changed after one of its
    workers started; whether it did."""
    since = max([mtime(path) for path in options["since"]] + [0.0])
    main_pid = master_pid(options["master"], proc) if since else 0
    if main_pid <= 0 or not stale_workers(main_pid, since, proc):
        return False
    spawn(lambda: keep_waking(options["fifo"], main_pid, since, options["seconds"], proc))
    return True


def probe(params: dict, check_mode: bool = False) -> dict:
    """What the uwsgi role asks the host in one round trip (the module's RETURN)."""
    # First: the master is woken while the rest is read and the play goes on.
    woke = bool(params["wake"]) and not check_mode and wake(params["wake"])
    with open("/proc/sys/net/core/somaxconn", encoding="ascii") as handle:
        somaxconn = int(handle.read())
    installed = dpkg_installed(sorted(set(params["packages"]) | {"logrotate"}))
    return {
        "changed": False,
        "version": run(params["binary"], "--version").strip() if os.access(params["binary"], os.X_OK) else "",
        "somaxconn": somaxconn,
        "logrotate": "logrotate" in installed,
        "installed": [name for name in installed if name in params["packages"]],
        "units": {
            unit: {
                "file": os.path.exists(f"/etc/systemd/system/{unit}"),
                "enabled": unit_is("is-enabled", unit) == "enabled",
                "active": unit_is("is-active", unit) == "active",
            }
            for unit in params["units"]
        },
        "stats": stats(params["stats"]["own"], params["stats"]["dirs"]),
        "applied": {unit: applied(unit, files["unit"], params["binary"], files["reload"])
                    for unit, files in params["applied"].items()},
        "woke": woke,
        **files_state(params),
    }
