#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The app role's probe: what is in place for one app, read in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_probe
short_description: Read what the app role finds in place for one app
version_added: 1.1.0
description:
  - Reads, in one round trip, what the P(pywebstack.webstack.app#role) role would otherwise ask the host task by task
    - the app user's passwd entry, whether its group exists, the sha1 of the live release's marker, the owner, group
    and mode of the directories the role keeps, whether a reload of the app is owed, which release is live, whether
    this run's release is on the host and complete, and the releases on the host.
  - Reads only; changes nothing, also under C(--check).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
  - pywebstack.webstack.probe
options:
  user:
    description: The app's user; its passwd entry is returned.
    type: str
    required: true
  group:
    description: The app's group; its gid is returned.
    type: str
    required: true
  marker:
    description: The live release's marker file; its sha1 is returned.
    type: path
    required: true
  dirs:
    description: The directories whose owner, group and mode are returned.
    type: list
    elements: path
    required: true
  reload_file:
    description: The file the app's reload touches (uWSGI's C(touch-reload) file).
    type: path
    required: true
  reloaded:
    description:
      - The files the app reads at a reload (its environment, the C(current) link itself, its shared files).
      - A reload is owed when one of them changed after O(reload_file) was last touched.
    type: list
    elements: path
    required: true
  rendered:
    description:
      - Files the role renders with secrets in them (the app's environment file), each with the record it would
        write (C(sha1) of the content, C(owner), C(group), C(mode)).
      - For each, only whether the file on the host is exactly that is returned, not the host file's checksum
        (as M(ansible.builtin.copy)'s O(ansible.builtin.copy#module:checksum), the expected one is an option).
    type: dict
    default: {}
  code_dir:
    description: The link to the live release (C(current)); the release it points to is returned.
    type: path
    version_added: 1.5.0
  releases_dir:
    description: The directory that holds the releases; each release directory in it is returned with its mtime.
    type: path
    version_added: 1.5.0
  release:
    description: This run's release id; whether its directory in O(releases_dir) exists, and its marker's sha1.
    type: str
    version_added: 1.5.0
"""

EXAMPLES = r"""
- name: Read what is already in place for the app
  pywebstack.webstack.app_probe:
    user: shop
    group: shop
    marker: /srv/shop/current/.complete
    dirs: [/etc/pywebstack/shop, /srv/shop/shared]
    reload_file: /srv/shop/reload
    reloaded: [/etc/pywebstack/shop/env, /srv/shop/current]
    code_dir: /srv/shop/current
    releases_dir: /srv/shop/releases
    release: 6f1d0c2a9b3e
    rendered:
      /etc/pywebstack/shop/env: {sha1: 3f786850e387550fdab836ed7e6dc881de23001b, owner: root, group: shop, mode: "0640"}
  register: __app_probe_run
"""

RETURN = r"""
user:
  description: The user's passwd entry and primary group's name; null when there is no such user.
  returned: always
  type: dict
  sample: {"uid": 999, "gid": 999, "comment": "pywebstack app shop", "home": "/srv/shop", "shell": "/usr/sbin/nologin", "group": "shop"}
group:
  description: The group's gid; null when there is no such group.
  returned: always
  type: dict
  sample: {"gid": 999}
marker:
  description: The sha1 of O(marker); an empty string when it does not exist.
  returned: always
  type: str
  sample: 3f786850e387550fdab836ed7e6dc881de23001b
dirs:
  description:
    - For each path in O(dirs), its owner, group and mode (C(0750)); null when it does not exist.
    - For a path that is not a directory, empty owner and group and the mode C(not a directory).
  returned: always
  type: dict
  sample: {"/srv/shop/shared": {"owner": "shop", "group": "shop", "mode": "0750"}}
reload_owed:
  description:
    - Whether a file in O(reloaded) changed after O(reload_file) was last touched (a run cut before its handler).
    - False before the first deploy (no reload file, nothing running).
  returned: always
  type: bool
  sample: false
rendered:
  description: For each file in O(rendered), whether it is on the host with that very content, owner, group and mode.
  returned: always
  type: dict
  sample: {"/etc/pywebstack/shop/env": true}
live:
  description: The release O(code_dir) links to (resolved as M(ansible.builtin.stat)'s C(lnk_source)); empty when it is no link.
  returned: always
  type: str
  sample: /srv/shop/releases/6f1d0c2a9b3e
release:
  description:
    - This run's release in O(releases_dir) - C(exists) whether its directory does, C(marker) the sha1 of its C(.complete)
      (empty when there is none).
  returned: when O(releases_dir) and O(release) are given
  type: dict
  sample: {"exists": true, "marker": "3f786850e387550fdab836ed7e6dc881de23001b"}
releases:
  description:
    - The release directories in O(releases_dir) (names that start with a hex digit, not links), each with its mtime.
    - Empty when there is no such directory.
  returned: always
  type: list
  elements: dict
  sample: [{"path": "/srv/shop/releases/6f1d0c2a9b3e", "mtime": 1765000000.5}]
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.app_host import PROBE_SPEC, probe


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(PROBE_SPEC, probe)


if __name__ == "__main__":
    main()
