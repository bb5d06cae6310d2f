# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""What the roles' check actions (app_check, uwsgi_check, nginx_check) share: their
arguments validated against a spec, the role's checks run on the controller, and every
refusal returned at once (`msg` joins them, `refused` lists them), with what else a role
reads from the checks (nginx_check's `stapling`); nothing is changed."""

from __future__ import annotations

from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase


class CheckAction(ActionBase):
    """A role's checks of its settings, run in the task's own process on the controller."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    # The action's arguments; SETTINGS, the names every `settings` dict must hold.
    SPEC: dict = {}
    SETTINGS: tuple = ()

    def check(self, args: dict) -> dict:
        """`refused`, the message of each check that fails ([] when every check passes), and
        anything else the checks found that the role reads from the registered result
        (nginx_check's `stapling`)."""
        raise NotImplementedError

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        _validation, args = self.validate_argument_spec(argument_spec=self.SPEC)
        missing = [name for name in self.SETTINGS if name not in args.get('settings', {})]
        if missing:
            raise AnsibleActionFail(f"{self._task.action}: settings lacks {', '.join(missing)}")
        found = self.check(args)
        refused = found.pop('refused')
        result.update(found, changed=False)
        if refused:
            result.update(failed=True, msg=' '.join(refused), refused=refused)
        return result
