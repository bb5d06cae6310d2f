# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.write_file: the module's work (module_utils/file_host.py) run as one
exec of the host's Python (plugin_utils/host_work.py); its documentation is plugins/modules/write_file.py."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.module_utils import file_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction


class ActionModule(HostWorkAction):
    """write_file, without the module's wrapper where Ansible would pipeline it."""

    SPEC = file_host.SPEC
    SOURCES = ('file_host',)
    WORK = ('file_host', 'write_file')

    def work_params(self, params):
        # The task's diff mode, which the module reads from AnsibleModule.
        return dict(params, _diff=bool(self._task.diff))
