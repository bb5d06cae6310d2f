# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the firewall_probe module (standard library only: its action runs it with
the host's Python directly, plugin_utils/host_work.py)."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import (
    dpkg_installed,
    files_argument_spec,
    files_state,
    unit_is,
)

SPEC = {
    "packages": {"type": "list", "elements": "str", "required": True},
    "unit": {"type": "str", "required": True},
    **files_argument_spec(),
}


def probe(params: dict, check_mode: bool = False) -> dict:
    """Which packages are installed, the unit's state and the files' answers."""
    del check_mode  # it only reads
    return {
        "changed": False,
        "installed": dpkg_installed(params["packages"]),
        "enabled": unit_is("is-enabled", params["unit"]) == "enabled",
        "active": unit_is("is-active", params["unit"]) == "active",
        **files_state(params),
    }
