# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""What the modules whose work an action runs with the host's Python document alike."""

from __future__ import annotations


class ModuleDocFragment:
    """pywebstack.webstack.host_work: the action attribute of a module run by plugin_utils/host_work.py."""

    DOCUMENTATION = r"""
attributes:
  action:
    description: The module has an action plugin of the same name, run on the controller first.
    support: full
    details:
      - Its action plugin checks the arguments against the module's spec, then runs the module's work (standard
        library only) as one exec of the host's Python, with the arguments on stdin, where Ansible would pipeline
        the module; otherwise (pipelining off or impossible, a Python not discovered yet) it
        runs the module, which does the same work.
"""
