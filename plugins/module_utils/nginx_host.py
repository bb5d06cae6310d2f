# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the nginx_probe module (standard library, and cryptography when the host has it:
its action runs it with the host's Python directly, plugin_utils/host_work.py)."""

from __future__ import annotations

import datetime
import os

from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import (
    children,
    cmdline,
    dpkg_installed,
    files_argument_spec,
    files_state,
    mtime,
    run,
    started,
    unit_is,
    unit_show,
)

SPEC = {
    "packages": {"type": "list", "elements": "str", "required": True},
    **files_argument_spec(),
    "certificates": {"type": "dict", "required": True},
}


def certificate(path: str):
    """A certificate's names and the days it has left, None when it cannot be read."""
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


def reload_owed(conf_dir: str = "/etc/nginx") -> bool:
    """Whether Nginx's workers started before the configuration last changed. A reload
    starts new workers, so after one every worker is younger than every file; an old one
    still finishing its connections ("is shutting down") does not count."""
    master = unit_show("nginx.service", "MainPID").get("MainPID", "").strip()
    if not master.isdigit() or int(master) == 0:
        return False
    workers = list(started([pid for pid in children(int(master)) if b"shutting down" not in cmdline(pid)]).values())
    if not workers:
        return False
    newest = 0.0
    for top, dirs, files in os.walk(conf_dir):
        for path in [top] + [os.path.join(top, name) for name in dirs + files]:
            newest = max(newest, mtime(path, follow=False), mtime(path))  # a link and what it points to
    return newest > min(workers)


def probe(params: dict, check_mode: bool = False) -> dict:
    """Nginx's packages, unit, version, certificates, pending reload and files."""
    del check_mode  # it only reads
    installed = dpkg_installed(params["packages"])
    return {
        "changed": False,
        "installed": installed,
        "enabled": unit_is("is-enabled", "nginx.service") == "enabled",
        "active": unit_is("is-active", "nginx.service") == "active",
        "nginx_version": run("nginx", "-v", stream="stderr").strip() if "nginx" in installed else "",
        "certificates": {name: certificate(path) for name, path in params["certificates"].items()},
        "reload_owed": reload_owed(),
        **files_state(params),
    }
