# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_release: copy the release's archive, then write it.

Its documentation is plugins/modules/app_release.py. The archive goes to the task's
remote temporary directory (as unarchive's does, without its remote stat of the
destination: the module makes the release's directory itself), and is gone with it.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class ActionModule(ActionBase):
    """Transfer the archive, then run the module on the host with its remote path."""

    TRANSFERS_FILES = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        args = self._task.args.copy()
        archive = os.path.expanduser(str(args.get('archive') or ''))
        try:
            if not os.path.isfile(archive):
                raise AnsibleActionFail(f"archive {archive!r} is not a file on the controller")
            remote = self._connection._shell.join_path(self._connection._shell.tmpdir, 'release.tar.gz')
            self._transfer_file(archive, remote)
            self._fixup_perms2((self._connection._shell.tmpdir, remote))
            args['archive'] = remote
            result.update(self._execute_module(module_name='pywebstack.webstack.app_release', module_args=args,
                                               task_vars=task_vars))
            return result
        finally:
            self._remove_tmp_path(self._connection._shell.tmpdir)
