"""Read, in one round trip, what the python role would otherwise ask the host task by task.

Usage: python3 -c SOURCE '{"packages": [NAME, ...], "rendered": [PATH, ...]}'
Prints one JSON object: which of the packages are installed, and for each rendered path
its sha1 (files; "" for a directory), owner, group and mode (null when it does not exist).
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


def rendered(path: str):
    try:
        st = os.stat(path)
    except OSError:
        return None
    digest = ""
    if stat.S_ISREG(st.st_mode):
        with open(path, "rb") as handle:
            digest = hashlib.sha1(handle.read()).hexdigest()
    try:
        owner = pwd.getpwuid(st.st_uid).pw_name
    except KeyError:
        owner = str(st.st_uid)
    try:
        group = grp.getgrgid(st.st_gid).gr_name
    except KeyError:
        group = str(st.st_gid)
    return {"sha1": digest, "owner": owner, "group": group, "mode": format(stat.S_IMODE(st.st_mode), "04o")}


def main() -> int:
    want = json.loads(sys.argv[1])
    status = subprocess.run(
        ["dpkg-query", "--show", "--showformat", "${db:Status-Abbrev}${Package}\n", *want["packages"]],
        capture_output=True, text=True, check=False).stdout
    print(json.dumps({
        "installed": [line[3:].strip() for line in status.splitlines() if line.startswith("ii ")],
        "rendered": {path: rendered(path) for path in want["rendered"]},
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
