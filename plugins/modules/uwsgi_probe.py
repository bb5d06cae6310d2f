#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The uwsgi role's probe: what is in place for one uWSGI instance, read in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: uwsgi_probe
short_description: Read what the uwsgi role finds in place for one instance
version_added: 1.1.0
description:
  - Reads, in one round trip, what the P(pywebstack.webstack.uwsgi#role) role would otherwise ask the host task by
    task - the uWSGI binary's version, C(net.core.somaxconn), which of its Debian packages are installed, the state of units,
    whether paths exist, files' sha1, the sha1, owner, group and mode of the files the role renders, the stats
    addresses in use, and whether a restart or reload of a unit is owed.
  - Reads only; changes nothing, also under C(--check).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
  - pywebstack.webstack.probe
  - pywebstack.webstack.probe.files
options:
  binary:
    description: The uWSGI binary; its version is returned, and a restart is owed when it changed after a unit's main process started.
    type: path
    required: true
  units:
    description: The systemd units whose unit file, enablement and activity are returned.
    type: list
    elements: str
    required: true
  packages:
    description:
      - The Debian packages whose installation is checked (returned in RV(installed)), so the role's apt task runs
        only for those missing, for instance those the P(pywebstack.webstack.python#role) role already installed
        in its own transaction.
    type: list
    elements: str
    default: []
    version_added: 1.10.0
  stats:
    description: Where to look for C(stats = ) addresses.
    type: dict
    required: true
    suboptions:
      own:
        description: The instance's own inis; the first C(stats) value among them is returned.
        type: list
        elements: path
        required: true
      dirs:
        description: Directories whose other C(*.ini) files hold the other instances' stats addresses.
        type: list
        elements: path
        required: true
  applied:
    description:
      - Units to compare with their files, each unit's name mapped to a dict with C(unit), the path of its unit file,
        and C(reload), a list of files its workers read at a reload.
    type: dict
    required: true
  wake:
    description:
      - When a file in O(wake.since) changed after one of the master's workers started (a touch of the reload file,
        which starts a chain reload), a process of its own wakes the master through its master FIFO every 50 ms
        until every worker started after that change, the FIFO has no reader, or O(wake.seconds) passed.
      - An idle master runs its loop, in which a chain reload moves on to its next worker, once a second; woken,
        it replaces each worker as soon as the one before accepts, while the play goes on.
      - The probe returns at once. Nothing is woken under C(--check).
    type: dict
    version_added: 1.7.0
    suboptions:
      fifo:
        description: The master's C(master-fifo).
        type: path
        required: true
      master:
        description: The systemd unit whose MainPID is the master, or C(procname:INSTANCE) for an Emperor's vassal.
        type: str
        required: true
      since:
        description: The touch-reload files.
        type: list
        elements: path
        required: true
      seconds:
        description: How long at most to keep waking the master.
        type: int
        default: 60
"""

EXAMPLES = r"""
- name: Read what is already in place for the instance
  pywebstack.webstack.uwsgi_probe:
    binary: /opt/uwsgi/bin/uwsgi
    units: [uwsgi-shop.service, uwsgi-shop.socket]
    paths: [/etc/uwsgi/shop.ini]
    files: [/usr/local/sbin/uwsgi-check-candidate]
    rendered: [/etc/uwsgi/shop.ini, /etc/systemd/system/uwsgi-shop.service]
    stats:
      own: [/etc/uwsgi/shop.ini]
      dirs: [/etc/uwsgi]
    applied:
      uwsgi-shop.service:
        unit: /etc/systemd/system/uwsgi-shop.service
        reload: [/etc/uwsgi/shop.ini]
  register: __uwsgi_probe_run
"""

RETURN = r"""
version:
  description: What O(binary) C(--version) prints; an empty string when it is not an executable.
  returned: always
  type: str
  sample: 2.0.28
somaxconn:
  description: The kernel's C(net.core.somaxconn).
  returned: always
  type: int
  sample: 4096
logrotate:
  description: Whether the C(logrotate) package is installed.
  returned: always
  type: bool
installed:
  description: Which of O(packages) are installed.
  returned: always
  type: list
  elements: str
  sample: [logrotate, libpython3.11]
  version_added: 1.10.0
units:
  description: For each unit in O(units), whether its file exists in C(/etc/systemd/system), and whether it is enabled and active.
  returned: always
  type: dict
  sample: {"uwsgi-shop.service": {"file": true, "enabled": true, "active": true}}
paths:
  description: For each path in O(paths), whether it exists.
  returned: always
  type: dict
  sample: {"/etc/uwsgi/shop.ini": true}
files:
  description: For each file in O(files), its sha1; an empty string when it does not exist.
  returned: always
  type: dict
  sample: {"/usr/local/sbin/uwsgi-check-candidate": "3f786850e387550fdab836ed7e6dc881de23001b"}
rendered:
  description:
    - For each file in O(rendered), its sha1, owner, group and mode; null when it does not exist.
    - The sha1 is an empty string for a directory.
  returned: always
  type: dict
  sample: {"/etc/uwsgi/shop.ini": {"sha1": "3f786850e387550fdab836ed7e6dc881de23001b", "owner": "root", "group": "shop", "mode": "0640"}}
stats:
  description: The stats addresses in use.
  returned: always
  type: dict
  contains:
    own:
      description: The first C(stats) value of the instance's own inis; an empty string when none has one.
      type: str
      returned: always
      sample: 127.0.0.1:5001
    others:
      description: The C(stats) values of every other ini in the directories.
      type: list
      elements: str
      returned: always
      sample: [127.0.0.1:5002]
applied:
  description:
    - For each unit in O(applied), whether what runs is older than the files on disk (a run cut between writing a file
      and its handler).
    - C(restart) when its unit file or the binary is newer than its main process (or systemd has not read the unit
      file yet), C(reload) when a file in its C(reload) list is newer than its oldest worker.
  returned: always
  type: dict
  sample: {"uwsgi-shop.service": {"restart": false, "reload": false}}
woke:
  description: Whether a process now wakes the master while a chain reload replaces its workers (see O(wake)).
  returned: always
  type: bool
  version_added: 1.7.0
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.uwsgi_host import SPEC, probe


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, probe)


if __name__ == "__main__":
    main()
