# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.firewall_probe: the module's work (module_utils/firewall_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/firewall_probe.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import firewall_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """firewall_probe, without the module's wrapper where Ansible would pipeline it."""

    SPEC = firewall_host.SPEC
    SOURCES = ('host_state', 'firewall_host')
    WORK = ('firewall_host', 'probe')
