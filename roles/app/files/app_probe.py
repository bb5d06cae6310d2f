"""Read, in one round trip, what the app role would otherwise ask the host task by task.

Usage: python3 -c SOURCE '{"user": NAME, "group": NAME, "marker": PATH, "dirs": [PATH, ...],
                          "reload_file": PATH, "reloaded": [PATH, ...]}'
Prints one JSON object: the user's passwd entry and the group's (or null), the sha1 of
the live release's marker ("" when there is none), for each directory its owner,
group and mode (or null when it does not exist), and whether a reload is owed (a path in
"reloaded" changed after the reload file). Reads only; standard library only.
"""

import grp
import hashlib
import json
import os
import pwd
import stat
import sys


def owner(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return {"owner": "", "group": "", "mode": "not a directory"}
    try:
        user = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        user = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"owner": user, "group": group, "mode": format(stat.S_IMODE(st.st_mode), "04o")}


def reload_owed(reload_file: str, reloaded: list) -> bool:
    """Whether a file the app reads at a reload (its environment, the `current` link itself,
    its shared files) changed after the reload file was last touched: a run cut before
    its handler. False before the first deploy (no reload file, nothing running)."""
    try:
        touched = os.stat(reload_file).st_mtime
    except OSError:
        return False
    changed = []
    for path in reloaded:
        try:
            changed.append(os.lstat(path).st_mtime)
        except OSError:
            continue
    return max(changed, default=0.0) > touched


def main() -> int:
    want = json.loads(sys.argv[1])
    try:
        entry = pwd.getpwnam(want["user"])
        user = {"uid": entry.pw_uid, "gid": entry.pw_gid, "comment": entry.pw_gecos,
                "home": entry.pw_dir, "shell": entry.pw_shell, "group": grp.getgrgid(entry.pw_gid).gr_name}
    except KeyError:
        user = None
    try:
        group = {"gid": grp.getgrnam(want["group"]).gr_gid}
    except KeyError:
        group = None
    try:
        with open(want["marker"], "rb") as handle:
            marker = hashlib.sha1(handle.read()).hexdigest()
    except OSError:
        marker = ""
    print(json.dumps({"user": user, "group": group, "marker": marker,
                      "dirs": {path: owner(path) for path in want["dirs"]},
                      "reload_owed": reload_owed(want["reload_file"], want["reloaded"])}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
