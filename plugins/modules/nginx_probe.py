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
  - pywebstack.webstack.host_work
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

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.nginx_host import SPEC, probe


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, probe)


if __name__ == "__main__":
    main()
