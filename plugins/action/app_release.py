# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_release: write a release from its archive on the controller.

Its documentation is plugins/modules/app_release.py. The work (module_utils/release_host.py)
runs as one exec of the host's Python (plugin_utils/host_work.py) with the archive's bytes
sent beside the arguments: no remote temporary directory, no copy, no module. Where Ansible
would not pipeline the module, or the archive is larger than ARCHIVE_INLINE_MAX, the archive
goes to the task's remote temporary directory (as unarchive's does, without its remote stat
of the destination: the work makes the release's directory itself), the module runs with
its remote path, and the directory is removed.
"""

from __future__ import annotations

import base64
import os

from ansible.errors import AnsibleActionFail

from ansible_collections.pywebstack.webstack.plugins.module_utils import release_host
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.host_work import HostWorkAction

# Archives up to this size travel with the arguments (base64 in the JSON on stdin).
ARCHIVE_INLINE_MAX = 32 * 1024 * 1024


class ActionModule(HostWorkAction):
    """Send the archive with the arguments, or copy it and run the module."""

    _supports_check_mode = False
    SPEC = release_host.SPEC
    SOURCES = ('release_host',)
    WORK = ('release_host', 'write')

    def archive(self) -> str:
        """The archive on the controller; an error naming it when it is not a file."""
        archive = os.path.expanduser(str(self._task.args.get('archive') or ''))
        if not os.path.isfile(archive):
            raise AnsibleActionFail(f"archive {archive!r} is not a file on the controller")
        return archive

    def python(self, task_vars):
        return super().python(task_vars) if os.path.getsize(self.archive()) <= ARCHIVE_INLINE_MAX else ''

    def work_params(self, params):
        with open(self.archive(), 'rb') as handle:
            return dict(params, archive_content=base64.b64encode(handle.read()).decode('ascii'))

    def run_module(self, task_vars):
        args = self._task.args.copy()
        try:
            self._make_tmp_path()
            remote = self._connection._shell.join_path(self._connection._shell.tmpdir, 'release.tar.gz')
            self._transfer_file(self.archive(), remote)
            self._fixup_perms2((self._connection._shell.tmpdir, remote))
            args['archive'] = remote
            return self._execute_module(module_name='pywebstack.webstack.app_release', module_args=args,
                                        task_vars=task_vars)
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
