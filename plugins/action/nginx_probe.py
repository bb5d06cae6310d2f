# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.nginx_probe: the module's work (module_utils/nginx_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/nginx_probe.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import nginx_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """nginx_probe, without the module's wrapper where Ansible would pipeline it."""

    SPEC = nginx_host.SPEC
    SOURCES = ('host_state', 'nginx_host')
    WORK = ('nginx_host', 'probe')
