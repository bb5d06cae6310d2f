# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.directory: the module's work (module_utils/file_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/directory.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import file_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """directory, without the module's wrapper where Ansible would pipeline it."""

    SPEC = file_host.DIRECTORY_SPEC
    SOURCES = ('file_host',)
    WORK = ('file_host', 'directory')
