# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""What the roles' probe modules document alike."""

from __future__ import annotations


class ModuleDocFragment:
    """pywebstack.webstack.probe: the attributes of every probe (they only read)."""

    DOCUMENTATION = r"""
attributes:
  check_mode:
    support: full
    details: The module only reads, so it runs under C(--check) as in a real run.
  diff_mode:
    support: none
  platform:
    platforms: debian
"""

    # pywebstack.webstack.probe.files: the questions about files the nginx and uwsgi probes share.
    FILES = r"""
options:
  paths:
    description: The paths whose existence is checked.
    type: list
    elements: path
    required: true
  files:
    description: The files whose sha1 is returned.
    type: list
    elements: path
    required: true
  rendered:
    description: The files whose sha1, owner, group and mode are returned.
    type: list
    elements: path
    required: true
"""
