# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.app_model: the apps of a host, checked and resolved.

Its documentation is plugins/modules/app_model.py (an action plugin's docs live in a module file).
"""

from __future__ import annotations

import os

from ansible.errors import AnsibleActionFail
from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible.plugins.action import ActionBase
from ansible.template import trust_as_template

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_model as model

_ROLES = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'roles')

# The values each record needs, resolved for every app.
_RECORD_KEYS = ('app_name', 'app_state', 'app_user', 'app_group', 'app_root', 'app_code_dir', 'app_static_dir',
                'app_shared_paths', 'uwsgi_socket')


class ActionModule(ActionBase):
    """Check the host's apps as a whole and resolve each app's role variables."""

    TRANSFERS_FILES = False
    _VALID_ARGS = frozenset(('apps', 'static_roots_allowed'))
    _requires_connection = False

    def _role_file(self, role, path, trusted):
        return self._loader.load_from_file(os.path.join(_ROLES, role, path), trusted_as_template=trusted) or {}

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        task_vars = task_vars or {}
        given = self._task.args.get('apps')
        allowed = self._task.args.get('static_roots_allowed') or []

        app_spec = self._role_file('app', 'meta/argument_specs.yml', False)['argument_specs']['main']['options']
        uwsgi_spec = self._role_file('uwsgi', 'meta/argument_specs.yml', False)['argument_specs']['main']['options']
        defaults = dict(self._role_file('uwsgi', 'defaults/main.yml', True))
        app_defaults = self._role_file('app', 'defaults/main.yml', True)
        defaults.update(app_defaults)

        if given is not None:
            errors = ArgumentSpecValidator(model.entry_spec(app_spec, uwsgi_spec)).validate({'apps': given}).error_messages
            if errors:
                raise AnsibleActionFail('Validation of arguments failed:\n%s' % '\n'.join(errors))
        entries = given if given is not None else [{}]
        bound = model.bound_keys(app_defaults, defaults, entries)
        hostname = task_vars.get('inventory_hostname', 'localhost')

        apps = []
        for entry in entries:
            # This app's variables: its entry's, over the host's (inventory, play, command
            # line), over the roles' defaults; the wiring makes uwsgi_* follow app_*.
            own = model.entry_values(entry)
            variables = dict(defaults)
            variables.update(task_vars)
            variables.update({k: trust_as_template('{{ %s }}' % v) for k, v in model.WIRING.items()})
            variables.update(own)
            templar = self._templar.copy_with_new_env(available_variables=variables)
            values = {k: templar.template(variables[k]) for k in set(bound) | set(_RECORD_KEYS)}

            app_vars = {k: values[k] for k in bound}
            # The health check asks as the app's site does (Django checks the Host header),
            # unless a Host is given for it.
            if 'uwsgi_healthcheck_host' not in own and 'uwsgi_healthcheck_host' not in task_vars:
                app_vars['uwsgi_healthcheck_host'] = ((entry.get('site') or {}).get('server_name') or [hostname])[0]

            aliases = [s.get('alias', '') for s in (entry.get('site') or {}).get('static', [])]
            roots = model.static_roots(values, allowed)
            outside = model.static_outside(aliases, roots)
            if outside:
                raise AnsibleActionFail(
                    "apps entry '%s': site.static aliases must lie inside the app's own tree (%s) or under "
                    "apps_static_roots_allowed, without '..' (got %s outside)."
                    % (values['app_name'], ', '.join(roots), outside))

            apps.append({
                'name': values['app_name'],
                'state': values['app_state'],
                'user': values['app_user'],
                'group': values['app_group'],
                'socket': values['uwsgi_socket'],
                'site': model.site(values, entry.get('site'), hostname),
                'vars': app_vars,
                'secret': sorted(model.SECRET_KEYS & set(app_vars)),
            })

        problem = model.check_unique(apps)
        if problem:
            raise AnsibleActionFail(problem)
        result.update(changed=False, apps=apps)
        if any(app['secret'] for app in apps):
            # Secrets are among the values: the result is registered, never printed.
            result['_ansible_no_log'] = True
        return result
