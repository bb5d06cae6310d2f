#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""Install Debian packages with apt-get, without python3-apt."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: apt_install
short_description: Install Debian packages with apt-get itself, without python3-apt
version_added: 1.11.0
description:
  - Ensures every package of O(name) is installed. dpkg tells which are missing; only then is C(apt-get update)
    run, when apt's lists are older than O(cache_valid_time) seconds or absent, and the missing packages are
    installed in one C(apt-get install). Nothing runs when all are installed.
  - The same result as M(ansible.builtin.apt) with C(state=present) and C(update_cache), for less of the host's
    CPU on a fresh host. That module needs python3-apt, which a minimal Debian host does not have; it installs
    it first with apt-get, then opens apt's cache in Python, about 2.5 s of a 2-core host's CPU before the
    packages asked for. This one needs only the host's Python and apt-get.
  - Where the install fails and the lists were not updated in this run (recent by the clock, yet naming a
    version the mirror has since replaced), it updates them and tries once more. A failure names the packages
    and quotes apt-get's last lines.
  - Configuration files changed by the admin are kept (C(--force-confold)); no question is asked.
  - Under C(--check), says which packages it would install and runs neither apt-get nor anything else but
    dpkg-query.
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
    platforms: debian
options:
  name:
    description:
      - The packages, by their own names (not virtual packages, versions or releases).
    type: list
    elements: str
    required: true
  install_recommends:
    description: Install the packages' Recommends too (apt's own default).
    type: bool
    default: true
  cache_valid_time:
    description: Run C(apt-get update) first when apt's lists are older than this many seconds (or absent).
    type: int
    default: 3600
  lock_timeout:
    description: Seconds apt-get waits for another apt or dpkg (unattended-upgrades) to let go of its lock.
    type: int
    default: 60
"""

EXAMPLES = r"""
- name: Ensure Nginx is installed
  pywebstack.webstack.apt_install:
    name: [nginx]
"""

RETURN = r"""
installed:
  description: The packages this run installed (under C(--check), would install).
  returned: always
  type: list
  elements: str
  sample: [nginx]
cache_updated:
  description: Whether this run ran C(apt-get update).
  returned: always
  type: bool
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.apt_host import SPEC, install


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, install)


if __name__ == "__main__":
    main()
