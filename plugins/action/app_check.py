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

import shlex

from ansible.errors import AnsibleActionFail

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_checks
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.check_action import CheckAction

_SPEC = {
    'settings': {'type': 'dict', 'required': True},
    'user_comment': {'type': 'str', 'required': True},
}

# The app_* values the checks read, each required in O(settings).
SETTINGS = (
    'app_name', 'app_state', 'app_wsgi_module', 'app_user', 'app_group', 'app_root', 'app_code_dir', 'app_venv',
    'app_static_dir', 'app_writable_dirs', 'app_writable_outside_root', 'app_shared_paths', 'app_shared_file_paths',
    'app_environment', 'app_secret_environment', 'app_commands', 'app_release_source', 'app_source_dir',
    'app_source_git_repo', 'app_source_archive',
)


class ActionModule(CheckAction):
    """Refuse the app role's settings that fail a check, naming every refused key."""

    SPEC = _SPEC
    SETTINGS = SETTINGS

    def _account(self, user):
        """The host's passwd entry of user (password, uid, gid, comment, home, shell), None when
        it has none: one `getent passwd` over the connection, no module (a module's round
        trip costs about four times as much)."""
        answer = self._low_level_execute_command(f"getent passwd -- {shlex.quote(user)}", sudoable=False)
        if answer['rc'] == 2:  # no such account
            return None
        if answer['rc'] != 0:
            raise AnsibleActionFail(f"app_check: could not read the host's account {user}: {answer['stderr'].strip()}")
        return app_checks.passwd_entry(answer['stdout'], user)

    def check(self, args):
        settings = args['settings']
        # An app being removed may name any account: nothing is made, so nothing is read.
        account = self._account(settings['app_user']) if settings['app_state'] == 'present' else None
        return {'refused': app_checks.refusals(settings, account, args['user_comment'])}
