#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The app role's switch: mark a release complete and make it live, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_switch
short_description: Mark an app's release complete and make it the live one
version_added: 1.5.0
description:
  - What the P(pywebstack.webstack.app#role) role does once a release loaded and its commands ran, in one round trip
    instead of five tasks - write the release's marker, point the live link at the release (a new link renamed over
    the old one, so the switch is atomic), remember the release that was live before, date the release by when it
    went live and remove the releases beyond the ones kept.
  - The link is replaced only when it points elsewhere; the rest of a switch happens only then.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
attributes:
  check_mode:
    support: full
    details: Under C(--check) it says what it would change and changes nothing.
  diff_mode:
    support: none
  platform:
    platforms: debian
options:
  release:
    description: The release directory to make live.
    type: path
    required: true
  link:
    description: The live link (the app's C(current)).
    type: path
    required: true
  group:
    description: The group of the marker and of the live link (both owned by root).
    type: str
    required: true
  marker:
    description:
      - The content of the release's C(.complete) marker (mode C(0644)), written before the switch when given and
        different from the file's.
    type: str
  previous:
    description: A link pointed at the release that was live before, when the switch replaced one.
    type: path
  touch:
    description: Files whose modification time is set to now after a switch (root's, the O(group)'s, mode C(0644)); made when missing.
    type: list
    elements: path
    default: []
  prune:
    description:
      - Release directories removed after a switch. Never O(release), nor the release that was live before.
    type: list
    elements: path
    default: []
"""

EXAMPLES = r"""
- name: Mark the release complete and make it live
  pywebstack.webstack.app_switch:
    release: /srv/shop/releases/6f1d0c2a9b3e
    link: /srv/shop/current
    group: shop
    marker: "6f1d0c2a9b3e shop.wsgi:application\n"
    previous: /srv/shop/releases/previous
    prune: [/srv/shop/releases/0a1b2c3d4e5f]
  register: __app_switch
"""

RETURN = r"""
marked:
  description: Whether the marker was written (or would be, under C(--check)).
  returned: always
  type: bool
switched:
  description: Whether the live link was pointed at O(release) (or would be, under C(--check)).
  returned: always
  type: bool
before:
  description: The release the live link pointed to before (resolved); empty when there was none.
  returned: always
  type: str
  sample: /srv/shop/releases/0a1b2c3d4e5f
pruned:
  description: The release directories removed (or that would be).
  returned: always
  type: list
  elements: str
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.app_host import SWITCH_SPEC, make_live


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SWITCH_SPEC, make_live)


if __name__ == "__main__":
    main()
