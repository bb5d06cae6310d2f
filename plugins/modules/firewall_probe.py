#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The firewall role's probe: what is in place for the guarded ports' table, read in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: firewall_probe
short_description: Read what the firewall role finds in place on a host
version_added: 1.4.0
description:
  - Reads, in one round trip, what the P(pywebstack.webstack.firewall#role) role would otherwise ask the host task
    by task - which packages are installed, the sha1, owner, group and mode of the files the role renders, and
    whether the table's unit is enabled and active.
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
  unit:
    description: The systemd unit that loads the table.
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Read what is already in place for the firewall
  pywebstack.webstack.firewall_probe:
    packages: [nftables]
    unit: nftables-pywebstack.service
    paths: []
    files: []
    rendered: [/etc/nftables.d, /etc/nftables.d/pywebstack.nft, /etc/systemd/system/nftables-pywebstack.service]
  register: __firewall_probe_run
"""

RETURN = r"""
installed:
  description: Which of O(packages) are installed.
  returned: always
  type: list
  elements: str
  sample: [nftables]
paths:
  description: For each path in O(paths), whether it exists.
  returned: always
  type: dict
  sample: {}
files:
  description: For each file in O(files), its sha1; an empty string when it does not exist.
  returned: always
  type: dict
  sample: {}
rendered:
  description:
    - For each file in O(rendered), its sha1, owner, group and mode; null when it does not exist.
    - The sha1 is an empty string for a directory.
  returned: always
  type: dict
  sample: {"/etc/nftables.d": {"sha1": "", "owner": "root", "group": "root", "mode": "0755"}}
enabled:
  description: Whether O(unit) is enabled.
  returned: always
  type: bool
active:
  description: Whether O(unit) is active.
  returned: always
  type: bool
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.firewall_host import SPEC, probe


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, probe)


if __name__ == "__main__":
    main()
