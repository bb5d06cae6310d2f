# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_check: the app role's checks of its settings.

Its documentation is plugins/modules/app_check.py (an action plugin's docs live in a module file).
The checks were a table of Jinja expressions in an assert loop, which every run compiled
and rendered again; here they are Python (plugins/plugin_utils/app_checks.py, with unit
tests), run in the task's own process on the controller, where the release is built.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_checks

_SPEC = {
    'settings': {'type': 'dict', 'required': True},
    'account': {'type': 'list', 'elements': 'str'},
    'user_comment': {'type': 'str', 'required': True},
}

# The app_* values the checks read, each required in O(settings).
SETTINGS = (
    'app_name', 'app_state', 'app_wsgi_module', 'app_user', 'app_group', 'app_root', 'app_code_dir', 'app_venv',
    'app_static_dir', 'app_writable_dirs', 'app_writable_outside_root', 'app_shared_paths', 'app_shared_file_paths',
    'app_environment', 'app_secret_environment', 'app_commands', 'app_release_source', 'app_source_dir',
    'app_source_git_repo', 'app_source_archive',
)


class ActionModule(ActionBase):
    """Refuse the app role's settings that fail a check, naming every refused key."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    _requires_connection = False

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=_SPEC)
        settings = args['settings']
        missing = [name for name in SETTINGS if name not in settings]
        if missing:
            raise AnsibleActionFail(f"app_check: settings lacks {', '.join(missing)}")
        refused = app_checks.refusals(settings, args['account'], args['user_comment'])
        result.update(changed=False)
        if refused:
            result.update(failed=True, msg=' '.join(refused), refused=refused)
        return result
