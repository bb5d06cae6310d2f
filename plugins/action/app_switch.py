# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_switch: the module's work (module_utils/app_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/app_switch.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import app_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """app_switch, without the module's wrapper where Ansible would pipeline it."""

    SPEC = app_host.SWITCH_SPEC
    SOURCES = ('host_state', 'file_host', 'app_host')
    WORK = ('app_host', 'make_live')
