"""Read, in one round trip, what the nginx role would otherwise ask the host task by task.

Usage: python3 -c SOURCE '{"packages": [...], "paths": [...], "files": [...], "rendered": [...], "certificates": {NAME: PATH}}'
Prints one JSON object: which packages are installed, which paths exist, the sha1 of
each file in "files" ("" when it does not exist), the sha1, owner, group and mode of each
file in "rendered" (null when it does not exist), whether
nginx.service is enabled and active, what `nginx -v` says ("" before Nginx is installed),
for each certificate (when it and the
cryptography module are there) its DNS and IP names and the days it has left, and
whether a reload is owed: a file or directory under /etc/nginx changed after the oldest
worker started (a run cut between writing a file and its handler). Reads only.
"""

import datetime
import grp
import hashlib
import json
import os
import pwd
import stat
import subprocess
import sys
import time


def run(*argv: str, stream: str = "stdout") -> str:
    try:
        return getattr(subprocess.run(argv, capture_output=True, text=True, check=False), stream)
    except OSError:
        return ""


def certificate(path: str):
    try:
        from cryptography import x509
    except ImportError:
        return None
    try:
        with open(path, "rb") as handle:
            cert = x509.load_pem_x509_certificate(handle.read())
    except (OSError, ValueError):
        return None
    try:
        alt = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
        names = ["DNS:" + n for n in alt.get_values_for_type(x509.DNSName)]
        names += ["IP:" + str(n) for n in alt.get_values_for_type(x509.IPAddress)]
    except x509.ExtensionNotFound:
        names = []
    not_after = cert.not_valid_after_utc if hasattr(cert, "not_valid_after_utc") else cert.not_valid_after.replace(tzinfo=datetime.timezone.utc)
    days = (not_after - datetime.datetime.now(datetime.timezone.utc)).days
    return {"names": sorted(names), "days_left": days}


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


def reload_owed(conf_dir: str = "/etc/nginx") -> bool:
    """Whether Nginx's workers started before the configuration last changed. A reload
    starts new workers, so after one every worker is younger than every file; an old one
    still finishing its connections ("is shutting down") does not count."""
    master = run("systemctl", "show", "--property", "MainPID", "--value", "nginx.service").strip()
    if not master.isdigit() or int(master) == 0:
        return False
    with open("/proc/uptime", encoding="ascii") as handle:
        boot = time.time() - float(handle.read().split()[0])
    ticks = os.sysconf("SC_CLK_TCK")
    workers = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat", encoding="ascii") as handle:
                    fields = handle.read().rsplit(")", 1)[1].split()
                if fields[1] != master:
                    continue
                with open(f"/proc/{entry}/cmdline", "rb") as handle:
                    if b"shutting down" in handle.read():
                        continue
            except OSError:
                continue
            workers.append(boot + int(fields[19]) / ticks)
    if not workers:
        return False
    newest = 0.0
    for top, dirs, files in os.walk(conf_dir):
        for path in [top] + [os.path.join(top, name) for name in dirs + files]:
            for stat_of in (os.lstat, os.stat):  # a link and what it points to
                try:
                    newest = max(newest, stat_of(path).st_mtime)
                except OSError:
                    continue
    return newest > min(workers)


def main() -> int:
    want = json.loads(sys.argv[1])
    status = run("dpkg-query", "--show", "--showformat", "${db:Status-Abbrev}${Package}\n", *want["packages"])
    installed = [line[3:].strip() for line in status.splitlines() if line.startswith("ii ")]
    print(json.dumps({
        "installed": installed,
        "paths": {path: os.path.exists(path) for path in want["paths"]},
        "files": {path: sha1(path) for path in want["files"]},
        "rendered": {path: rendered(path) for path in want["rendered"]},
        "enabled": run("systemctl", "is-enabled", "nginx.service").strip() == "enabled",
        "active": run("systemctl", "is-active", "nginx.service").strip() == "active",
        "nginx_version": run("nginx", "-v", stream="stderr").strip() if "nginx" in installed else "",
        "certificates": {name: certificate(path) for name, path in want["certificates"].items()},
        "reload_owed": reload_owed(),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
