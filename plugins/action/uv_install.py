# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.uv_install: the module's work (module_utils/uv_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/uv_install.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import uv_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """uv_install, without the module's wrapper where Ansible would pipeline it."""

    SPEC = uv_host.SPEC
    SOURCES = ('file_host', 'uv_host')
    WORK = ('uv_host', 'install')
