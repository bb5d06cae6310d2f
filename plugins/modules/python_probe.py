#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The python role's probe: which packages are installed, and pip's files, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: python_probe
short_description: Read which Python packages and pip files the python role finds in place
version_added: 1.1.0
description:
  - Reads, in one round trip, what the P(pywebstack.webstack.python#role) role would otherwise ask the host task by
    task - which of its Debian packages are installed, and the sha1, owner, group and mode of the files and
    directories it renders (C(/etc/pip.conf), the CA bundle and its directory).
  - Reads only; changes nothing, also under C(--check).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
  - pywebstack.webstack.probe
options:
  packages:
    description: The Debian packages whose installation is checked.
    type: list
    elements: str
    required: true
  rendered:
    description: The files and directories whose sha1, owner, group and mode are returned.
    type: list
    elements: path
    required: true
"""

EXAMPLES = r"""
- name: Read which of the packages are missing, and pip's files
  pywebstack.webstack.python_probe:
    packages: [python3, python3-venv]
    rendered: [/etc/pip.conf, /usr/local/share/ca-certificates/pip/ca.crt, /usr/local/share/ca-certificates/pip]
  register: __python_probe_run
"""

RETURN = r"""
installed:
  description: Which of O(packages) are installed.
  returned: always
  type: list
  elements: str
  sample: [python3, python3-venv]
rendered:
  description:
    - For each path in O(rendered), its sha1 (an empty string for a directory), owner, group and mode; null when
      it does not exist.
  returned: always
  type: dict
  sample: {"/etc/pip.conf": {"sha1": "3f786850e387550fdab836ed7e6dc881de23001b", "owner": "root", "group": "root", "mode": "0644"}}
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.python_host import SPEC, probe


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, probe)


if __name__ == "__main__":
    main()
