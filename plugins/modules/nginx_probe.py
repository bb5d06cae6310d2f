#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The nginx role's probe: what is in place for Nginx, read in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nginx_probe
short_description: Read what the nginx role finds in place on a host
version_added: 1.1.0
description:
  - Reads, in one round trip, what the P(pywebstack.webstack.nginx#role) role would otherwise ask the host task by task
    - which packages are installed, which paths exist, files' sha1, the sha1, owner, group and mode of the files the
    role renders, whether C(nginx.service) is enabled and active, what C(nginx -v) says, the names and days left of
    certificates, and whether a reload of Nginx is owed.
  - Reads only; changes nothing, also under C(--check).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.probe
  - pywebstack.webstack.probe.files
options:
  packages:
    description: The Debian packages whose installation is checked.
    type: list
    elements: str
    required: true
  certificates:
    description:
      - Certificates to read, a PEM file's path by a name of your choice.
      - Read only where the Python C(cryptography) module is installed on the host.
    type: dict
    required: true
requirements:
  - cryptography (on the host, only to read O(certificates))
"""

EXAMPLES = r"""
- name: Read what is already in place for Nginx
  pywebstack.webstack.nginx_probe:
    packages: [nginx]
    paths: [/etc/nginx/sites-enabled/default]
    files: [/usr/local/sbin/nginx-check-candidate]
    rendered: [/etc/nginx/nginx.conf]
    certificates:
      shop: /etc/nginx/tls/shop.crt
  register: __nginx_probe_run
"""

RETURN = r"""
installed:
  description: Which of O(packages) are installed.
  returned: always
  type: list
  elements: str
  sample: [nginx]
paths:
  description: For each path in O(paths), whether it exists.
  returned: always
  type: dict
  sample: {"/etc/nginx/sites-enabled/default": false}
files:
  description: For each file in O(files), its sha1; an empty string when it does not exist.
  returned: always
  type: dict
  sample: {"/usr/local/sbin/nginx-check-candidate": "3f786850e387550fdab836ed7e6dc881de23001b"}
rendered:
  description:
    - For each file in O(rendered), its sha1, owner, group and mode; null when it does not exist.
    - The sha1 is an empty string for a directory.
  returned: always
  type: dict
  sample: {"/etc/nginx/nginx.conf": {"sha1": "3f786850e387550fdab836ed7e6dc881de23001b", "owner": "root", "group": "root", "mode": "0644"}}
enabled:
  description: Whether C(nginx.service) is enabled.
  returned: always
  type: bool
active:
  description: Whether C(nginx.service) is active.
  returned: always
  type: bool
nginx_version:
  description: What C(nginx -v) prints; an empty string when the C(nginx) package is not installed or not in O(packages).
  returned: always
  type: str
  sample: "nginx version: nginx/1.26.3"
certificates:
  description:
    - For each name in O(certificates), the certificate's DNS and IP names, sorted, and the days it has left.
    - Null when the file cannot be read or C(cryptography) is missing on the host.
  returned: always
  type: dict
  sample: {"shop": {"names": ["DNS:shop.example.com", "IP:127.0.0.1"], "days_left": 3649}}
reload_owed:
  description:
    - Whether a file or directory under C(/etc/nginx) changed after the oldest worker of C(nginx.service) started
      (a run cut between writing a file and its handler).
    - Workers still finishing their connections after a reload do not count.
  returned: always
  type: bool
  sample: false
"""

import datetime
import os

from ansible.module_utils.basic import AnsibleModule
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


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "packages": {"type": "list", "elements": "str", "required": True},
            **files_argument_spec(),
            "certificates": {"type": "dict", "required": True},
        },
        supports_check_mode=True,
    )
    want = module.params
    installed = dpkg_installed(want["packages"])
    module.exit_json(
        changed=False,
        installed=installed,
        enabled=unit_is("is-enabled", "nginx.service") == "enabled",
        active=unit_is("is-active", "nginx.service") == "active",
        nginx_version=run("nginx", "-v", stream="stderr").strip() if "nginx" in installed else "",
        certificates={name: certificate(path) for name, path in want["certificates"].items()},
        reload_owed=reload_owed(),
        **files_state(want),
    )


if __name__ == "__main__":
    main()
