# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_build: build or read the release archive on the controller.

Its documentation is plugins/modules/app_build.py (an action plugin's docs live in a module file).
It ran as a command (build_release.py) on localhost: a module built and sent to the local
connection, a Python started, half a second a run; here it is work in the task's process.
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import release_build

_SPEC = {
    'source_dir': {'type': 'path'},
    'archive': {'type': 'path'},
    'out': {'type': 'path'},
    'requirements': {'type': 'str', 'default': 'requirements.txt'},
}


class ActionModule(ActionBase):
    """Write (or read) the release archive on the controller and say how it installs."""

    TRANSFERS_FILES = False
    _supports_check_mode = True

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(
            argument_spec=_SPEC,
            mutually_exclusive=[('source_dir', 'archive')],
            required_one_of=[('source_dir', 'archive')],
            required_by={'source_dir': 'out'},
        )
        try:
            if args['archive']:
                release = release_build.use_archive(os.path.expanduser(args['archive']), args['requirements'])
            else:
                release = release_build.build_from_dir(os.path.expanduser(args['source_dir']),
                                                       os.path.expanduser(args['out']), args['requirements'])
        except release_build.BuildError as exc:
            raise AnsibleActionFail(str(exc)) from exc
        result.update(changed=False, release=release)
        return result
