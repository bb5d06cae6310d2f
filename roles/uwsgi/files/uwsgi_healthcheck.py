"""Ask a uWSGI instance for one page over its own socket, the way Nginx would.

Usage: uwsgi_healthcheck.py SOCKET PATH HOST STATUSES [SINCE_FILE UNIT|procname:INSTANCE [FIFO]]

SOCKET is a unix socket path or ADDRESS:PORT; PATH the page (e.g. /healthz); HOST the
Host header; STATUSES the accepted statuses, comma-separated ("" accepts any status
below 500: the app runs and answers, whatever its pages are). With SINCE_FILE and UNIT (the
systemd unit running the master; for an Emperor's vassal procname:INSTANCE, the master
auto-procname calls "INSTANCE uWSGI master") it first checks that the master has workers
and that every one started after SINCE_FILE was last modified (the touch-reload file:
after a release switch, the answer must come from workers forked by the reloaded
master, not from old ones finishing their requests). Start times come from /proc/PID/stat
and /proc/uptime, which need no ptrace rights. Exits 0 when the page answers an accepted status; prints what it saw either
way, and the answer's status. With PYWEBSTACK_HEALTHCHECK_WAIT=SECONDS in its environment it asks
again every quarter second until it passes or that time is up (one round trip for the caller,
done as soon as the new workers answer); its last line is then the last answer it saw.

FIFO is the master's master-fifo. uWSGI's master reaps a worker that finished and moves a
chain reload on to the next worker only when its event loop wakes up, which an idle master
does once a second: each worker then costs two seconds (one to be reaped, one for the
check that its successor accepts). While old workers remain, the checker writes one byte
to the FIFO that is no command (a newline: the master reads and ignores it) every 50 ms,
so the master's loop runs and the chain moves on as soon as each new worker accepts.
Needs only the Python standard library, so it runs with the host's python3.
"""

import os
import socket
import struct
import subprocess
import sys
import time


def packet(env: dict) -> bytes:
    body = b""
    for key, value in env.items():
        k, v = key.encode(), value.encode()
        body += struct.pack("<H", len(k)) + k + struct.pack("<H", len(v)) + v
    return struct.pack("<BHB", 0, len(body), 0) + body


def workers_started(main_pid: int, proc: str = "/proc", now: float = None) -> dict:
    """The start time (epoch seconds, to 1/100 s) of each child of the master."""
    # When the host booted: now minus its uptime, to 1/100 s. Not /proc/stat's btime, which
    # is whole seconds: up to a second early, so a worker forked just after a reload file
    # changed could look older than the change, and be waited for until the check gave up.
    with open(f"{proc}/uptime", encoding="ascii") as handle:
        boot = (time.time() if now is None else now) - float(handle.read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    started = {}
    for entry in os.listdir(proc):
        if not entry.isdigit():
            continue
        try:
            with open(f"{proc}/{entry}/stat", encoding="ascii") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            if int(fields[1]) == main_pid:
                started[int(entry)] = boot + int(fields[19]) / ticks
        except (OSError, IndexError, ValueError):
            continue
    return started


def master_pid(ref: str) -> int:
    """The master's pid: its unit's MainPID, or the process named "<instance> uWSGI master"."""
    if ref.startswith("procname:"):
        title = f"{ref[len('procname:'):]} uWSGI master"
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    with open(f"/proc/{entry}/cmdline", "rb") as handle:
                        if handle.read().replace(b"\0", b" ").decode("utf-8", "replace").strip() == title:
                            return int(entry)
                except OSError:
                    continue
        return 0
    return int(subprocess.run(["systemctl", "show", "--property", "MainPID", "--value", ref],
                              capture_output=True, text=True, check=False).stdout.strip() or 0)


# check()'s result while workers started before SINCE_FILE remain (a failure, as 1 is).
STALE = 2


def nudge(fifo: str) -> None:
    """Wake the master's event loop with a byte its FIFO maps to no command."""
    try:
        # Non-blocking: with no master reading the FIFO, opening it fails at once (ENXIO).
        descriptor = os.open(fifo, os.O_WRONLY | os.O_NONBLOCK)
    except OSError:
        return
    try:
        os.write(descriptor, b"\n")
    except OSError:
        pass
    finally:
        os.close(descriptor)


def check() -> int:
    """One check: the workers' start times (with SINCE_FILE), then one request."""
    target, path, host, statuses = sys.argv[1:5]
    accepted = {int(code) for code in statuses.split(",") if code}
    if len(sys.argv) > 6:
        since = os.stat(sys.argv[5]).st_mtime
        main_pid = master_pid(sys.argv[6])
        if main_pid <= 0:
            print(f"no uWSGI master running ({sys.argv[6]})")
            return 1
        workers = workers_started(main_pid)
        # uWSGI keeps the reload file's time in whole seconds from its master's first look
        # (uwsgi_check_touches): a change within that second is not seen, and that master's
        # workers, forked just before, are not replaced. So a worker started less than a
        # second before the change counts as new.
        stale = sorted(pid for pid, started in workers.items() if started < since - 1)
        if not workers or stale:
            print(f"workers started before {sys.argv[5]} changed: {stale or 'no workers yet'}")
            if len(sys.argv) > 7:
                nudge(sys.argv[7])
            return STALE
    if target.startswith("/"):
        conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address = target
    else:
        name, _sep, port = target.rpartition(":")
        family = socket.AF_INET6 if name.startswith("[") else socket.AF_INET
        conn = socket.socket(family, socket.SOCK_STREAM)
        address = (name.strip("[]"), int(port))
    conn.settimeout(5)
    path_info, _sep, query = path.partition("?")
    env = {
        "REQUEST_METHOD": "GET",
        "REQUEST_URI": path,
        "PATH_INFO": path_info,
        "QUERY_STRING": query,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "SERVER_NAME": host,
        "SERVER_PORT": "80",
        "HTTP_HOST": host,
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_USER_AGENT": "uwsgi-healthcheck",
    }
    try:
        conn.connect(address)
        conn.sendall(packet(env))
        data = b""
        while len(data) < 65536:
            chunk = conn.recv(4096)
            if not chunk:
                break
            data += chunk
    except OSError as exc:
        print(f"{target}: {exc}")
        return 1
    finally:
        conn.close()
    status = data.split(b"\r\n", 1)[0].decode("latin-1")
    print(f"{target} {path}: {status or 'no answer'}")
    code = status.split(" ")[1:2]
    if not code or not code[0].isdigit():
        return 1
    return 0 if (int(code[0]) in accepted if accepted else int(code[0]) < 500) else 1


def main() -> int:
    deadline = time.monotonic() + float(os.environ.get("PYWEBSTACK_HEALTHCHECK_WAIT", "0") or 0)
    while True:
        rc = check()
        if rc == 0 or time.monotonic() >= deadline:
            return rc
        sys.stdout.flush()
        # Quickly while the master is nudged: each nudge is what moves a reload on.
        time.sleep(0.05 if rc == STALE and len(sys.argv) > 7 else 0.25)


if __name__ == "__main__":
    sys.exit(main())
