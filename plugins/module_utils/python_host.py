# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the python_probe module (standard library only: its action runs it with
the host's Python directly, plugin_utils/host_work.py)."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import dpkg_installed, rendered

SPEC = {
    "packages": {"type": "list", "elements": "str", "required": True},
    "rendered": {"type": "list", "elements": "path", "required": True},
}


def probe(params: dict, check_mode: bool = False) -> dict:
    """Which of the packages are installed, and each rendered file's record."""
    del check_mode  # it only reads
    return {
        "changed": False,
        "installed": dpkg_installed(params["packages"]),
        "rendered": {path: rendered(path) for path in params["rendered"]},
    }
