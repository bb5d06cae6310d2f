# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""What the collection's action plugins document alike."""

from __future__ import annotations


class ModuleDocFragment:
    """pywebstack.webstack.action: the attributes of an action plugin run once per host, in the
    task's own process on the controller. Each plugin adds its own C(check_mode) attribute (what
    a dry run does differs); one whose platform is narrower says so too."""

    DOCUMENTATION = r"""
attributes:
  action:
    support: full
  async:
    support: none
  bypass_host_loop:
    support: none
  diff_mode:
    support: none
  platform:
    platforms: posix
"""
