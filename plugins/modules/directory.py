#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""Ensure one directory with its owner, group and mode, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: directory
short_description: Ensure a directory with its owner, group and mode in one round trip
version_added: 1.10.0
description:
  - Makes O(path) a directory owned by O(owner) and O(group) with O(mode), and the missing directories above it
    with the same, as M(ansible.builtin.file) does with C(state=directory); sets the owner, group and mode of one
    that differs; changes nothing when all match.
  - The same result as M(ansible.builtin.file) for this one case, for a fraction of the host's CPU (the host's
    Python runs the standard library only, not Ansible's module wrapper). A fresh host's roles make about ten
    directories.
  - Under C(--check), says whether it would change anything; where the owner or group does not exist yet (a run
    that would add it first), that it would.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
attributes:
  check_mode:
    support: full
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  path:
    description: The directory. A path that exists and is not a directory (nor a link to one) fails the task.
    type: path
    required: true
  owner:
    description: The directory's owner.
    type: str
    default: root
  group:
    description: The directory's group.
    type: str
    default: root
  mode:
    description: The directory's permissions, as an octal string such as C("0755").
    type: str
    required: true
"""

EXAMPLES = r"""
- name: Ensure the ini directory exists
  pywebstack.webstack.directory:
    path: /etc/uwsgi/apps
    owner: root
    group: root
    mode: "0755"
"""

RETURN = r"""
path:
  description: The directory.
  returned: always
  type: str
  sample: /etc/uwsgi/apps
created:
  description: Whether the directory (or one above it) was made, not only its owner, group or mode set.
  returned: always
  type: bool
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.file_host import DIRECTORY_SPEC, directory


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(DIRECTORY_SPEC, directory)


if __name__ == "__main__":
    main()
