# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the apt_install module: Debian packages installed with apt-get itself.

Ansible's apt module drives apt through python3-apt, which a minimal host does not have: on
a fresh host it first installs python3-apt with apt-get, restarts itself under the Python
that has it, and opens apt's cache in Python (about 2.5 s of the host's CPU before the
packages asked for; bench/RESULTS.md). This work asks dpkg which packages are missing, runs
`apt-get update` only when apt's lists are older than asked (or absent), and installs the
missing ones in one `apt-get install`; a failure names the packages and quotes apt. Under
--check it says what it would install and runs nothing. Standard library only.
"""

from __future__ import annotations

import os
import subprocess
import time

from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import dpkg_installed

SPEC = {
    "name": {"type": "list", "elements": "str", "required": True},
    "install_recommends": {"type": "bool", "default": True},
    "cache_valid_time": {"type": "int", "default": 3600},
    "lock_timeout": {"type": "int", "default": 60},
}

LISTS = "/var/lib/apt/lists"
# What apt's own periodic update writes when it succeeds (Debian's apt.systemd.daily).
UPDATE_STAMP = "/var/lib/apt/periodic/update-success-stamp"
# No question asked, no pager, no prompt about changed configuration files: the
# package's own file is kept where the admin changed one (as Ansible's apt module does).
ENVIRONMENT = {"DEBIAN_FRONTEND": "noninteractive", "APT_LISTCHANGES_FRONTEND": "none", "NEEDRESTART_MODE": "l"}
KEEP_CONFIG = ["-o", "Dpkg::Options::=--force-confdef", "-o", "Dpkg::Options::=--force-confold"]


def lists_age(now: float, lists: str = LISTS, stamp: str = UPDATE_STAMP):
    """Seconds since apt's lists were last updated; None when there are none to install from
    (a host whose image dropped them)."""
    try:
        names = os.listdir(lists)
    except OSError:
        return None
    if not any("_Packages" in name for name in names):
        return None
    times = [os.stat(lists).st_mtime]
    if os.path.exists(stamp):
        times.append(os.stat(stamp).st_mtime)
    return now - max(times)


def apt_get(argv: list, lock_timeout: int) -> tuple:
    """Run apt-get with argv after its options; (rc, what it said on stderr, else stdout)."""
    command = ["apt-get", "-q", "-y", "-o", f"DPkg::Lock::Timeout={lock_timeout}"] + KEEP_CONFIG + argv
    done = subprocess.run(command, capture_output=True, text=True, check=False,
                          env=dict(os.environ, **ENVIRONMENT))
    said = (done.stderr.strip() or done.stdout.strip()).splitlines()
    return done.returncode, " ".join(said[-6:])


def install(params: dict, check_mode: bool = False, installed=dpkg_installed, run=apt_get, now=time.time) -> dict:
    """The apt_install module's work: every package of params["name"] installed. Returns
    {"changed", "installed" (those this run installed, or would), "cache_updated"}, or the
    failure naming the packages and quoting apt."""
    names = params["name"]
    missing = [name for name in names if name not in installed(names)] if names else []
    result = {"changed": bool(missing), "installed": missing, "cache_updated": False}
    if not missing or check_mode:
        return result
    age = lists_age(now())
    if age is None or age > params["cache_valid_time"]:
        if not update(params, result, run):
            return result
    recommends = [] if params["install_recommends"] else ["--no-install-recommends"]
    rc, said = run(["install"] + recommends + missing, params["lock_timeout"])
    if rc != 0 and not result["cache_updated"]:
        # Lists recent enough by the clock can still name a version the mirror has dropped
        # (a security update since): once more, from fresh lists.
        if not update(params, result, run):
            return result
        rc, said = run(["install"] + recommends + missing, params["lock_timeout"])
    if rc != 0:
        return failure(result, f"apt-get could not install {', '.join(missing)} (rc {rc}): {said}")
    absent = [name for name in missing if name not in installed(missing)]
    if absent:
        return dict(result, failed=True, installed=[name for name in missing if name not in absent],
                    msg=f"apt-get ended well but dpkg does not list {', '.join(absent)} as installed: "
                        "is each a package's own name (not a virtual package or a version)?")
    return result


def update(params: dict, result: dict, run) -> bool:
    """apt-get update into result; False (and result failed) when it failed."""
    rc, said = run(["update"], params["lock_timeout"])
    if rc != 0:
        result.update(failure(result, f"apt-get update failed (rc {rc}), so {', '.join(result['installed'])} "
                                      f"could not be installed: {said}"))
        return False
    result["cache_updated"] = True
    return True


def failure(result: dict, msg: str) -> dict:
    """result as a failure saying msg: nothing installed, changed only if the lists were."""
    return dict(result, failed=True, changed=result["cache_updated"], installed=[], msg=msg)
