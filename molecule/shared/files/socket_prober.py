#!/usr/bin/env python3
"""Ask again and again whether another user may connect to a unix socket, and count.

Usage: socket_prober.py PATH --user USER --stop-file FILE --out FILE [--max-seconds N]
                        [--interval SECONDS]

Run as root on a test host; it drops to USER (Nginx's, www-data) first. A connect to a
unix socket needs write permission on its file: every --interval seconds (default 0.5 ms,
far finer than a client's requests; no connection is made, so the server sees nothing)
it checks that permission on PATH (access(2), as USER), until FILE exists or
--max-seconds pass, then writes {"attempts", "ok", "errors": {errno name: count},
"first_error_at_s": {errno name: seconds}} as JSON to --out. EACCES: the file was there
and USER could not have connected; ENOENT: no file at PATH.
"""
import argparse
import json
import os
import pwd
import time


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("path")
    parser.add_argument("--user", required=True)
    parser.add_argument("--stop-file", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--max-seconds", type=float, default=400)
    parser.add_argument("--interval", type=float, default=0.0005)
    args = parser.parse_args()

    out = open(args.out, "w")  # opened as root, before the privileges go (the stop file must be where USER can see it)
    account = pwd.getpwnam(args.user)
    os.setgroups([])
    os.setgid(account.pw_gid)
    os.setuid(account.pw_uid)

    start = time.monotonic()
    attempts = ok = 0
    errors, first = {}, {}
    while time.monotonic() - start < args.max_seconds and not os.path.exists(args.stop_file):
        attempts += 1
        if os.access(args.path, os.W_OK):
            ok += 1
        else:
            name = "EACCES" if os.path.lexists(args.path) else "ENOENT"
            errors[name] = errors.get(name, 0) + 1
            first.setdefault(name, round(time.monotonic() - start, 3))
        time.sleep(args.interval)
    json.dump({"attempts": attempts, "ok": ok, "errors": errors, "first_error_at_s": first}, out)
    out.close()


if __name__ == "__main__":
    main()
