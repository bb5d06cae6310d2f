#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""Write one file from the content given, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: write_file
short_description: Write a file from its content in one round trip, checked before it replaces the old one
version_added: 1.6.0
description:
  - Writes O(content) to O(path) with O(owner), O(group) and O(mode), unless the file already holds exactly
    that. What the roles render (a template looked up on the controller) or ship (a file of theirs) is passed
    as the content, so a file costs one round trip; M(ansible.builtin.template) and M(ansible.builtin.copy)
    take three (a remote stat, the transfer, the module).
  - The new content is written to a temporary file beside O(path) (C(.NAME.pywebstack-tmp), which the next
    write replaces when a run was cut before the rename), given its owner, group and mode, checked with
    O(validate) when set, then renamed over O(path), so the file is never half written and a candidate the
    check refuses never replaces the one in use.
  - Meant for configuration and small scripts (the content travels with the module's arguments); binary files
    and large ones are for M(ansible.builtin.copy).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff shows the file's text before and after (not for a task with C(no_log)).
  platform:
    platforms: posix
options:
  path:
    description: The file to write. Its directory must exist.
    type: path
    required: true
  content:
    description:
      - The file's whole content, as text.
      - It is an argument, so give a task whose content is secret C(no_log) (the module then logs nothing on the host
        and returns no diff), as with M(ansible.builtin.copy)'s O(ansible.builtin.copy#module:content).
    type: str
    required: true
  owner:
    description: The file's owner.
    type: str
    default: root
  group:
    description: The file's group.
    type: str
    default: root
  mode:
    description: The file's permissions, as an octal string such as C("0644").
    type: str
    required: true
  validate:
    description:
      - A command run on the candidate before it replaces O(path); C(%s) stands for the candidate's path. The file
        is not replaced when it exits non-zero, and the task fails with its output.
    type: str
"""

EXAMPLES = r"""
- name: Render nginx.conf, checked by nginx -t before it replaces the running one
  pywebstack.webstack.write_file:
    path: /etc/nginx/nginx.conf
    content: "{{ lookup('ansible.builtin.template', 'nginx.conf.j2') }}"
    owner: root
    group: root
    mode: "0644"
    validate: /usr/local/sbin/nginx-check-candidate %s /etc/nginx/nginx.conf
"""

RETURN = r"""
path:
  description: The file.
  returned: always
  type: str
  sample: /etc/nginx/nginx.conf
written:
  description: Whether the content was written (not only the owner, group or mode set).
  returned: always
  type: bool
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.file_host import SPEC, write_file


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    # The task's diff mode travels with the arguments, as the action's work_params sends it.
    host_module.run(SPEC, write_file, params=lambda module: dict(module.params, _diff=module._diff))


if __name__ == "__main__":
    main()
