"""Read, in one round trip, what the uwsgi role would otherwise ask the host task by task.

Usage: python3 -c SOURCE '{"binary": PATH, "units": [UNIT, ...], "paths": [PATH, ...], "files": [PATH, ...], "rendered": [PATH, ...]}'
Prints one JSON object: the version of the uWSGI binary ("" when there is none), the
kernel's net.core.somaxconn, whether logrotate is installed, for each unit whether its
file exists in /etc/systemd/system and whether it is enabled and active, for each path
whether it exists, for each file its sha1 ("" when it does not exist), and for each
rendered file its sha1, owner, group and mode (null when it does not exist). Reads only;
needs nothing but the standard library.
"""

import grp
import hashlib
import json
import os
import pwd
import stat
import subprocess
import sys


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
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
