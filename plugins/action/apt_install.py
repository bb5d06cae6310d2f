# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.apt_install: the module's work (module_utils/apt_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/apt_install.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import apt_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """apt_install, without the module's wrapper where Ansible would pipeline it."""

    SPEC = apt_host.SPEC
    SOURCES = ('host_state', 'apt_host')
    WORK = ('apt_host', 'install')
