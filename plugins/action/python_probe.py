# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.python_probe: the module's work (module_utils/python_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/python_probe.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import python_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """python_probe, without the module's wrapper where Ansible would pipeline it."""

    SPEC = python_host.SPEC
    SOURCES = ('host_state', 'python_host')
    WORK = ('python_host', 'probe')
