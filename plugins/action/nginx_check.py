# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.nginx_check: the nginx role's settings, checked on the controller.

Its documentation is plugins/modules/nginx_check.py (an action plugin's docs live in a module file).
The checks were three `assert` tasks with Jinja tables for conditions and messages; compiling
and rendering those cost about 0.7 s of controller time a run. Here they are Python
(plugins/plugin_utils/nginx_checks.py, with unit tests), run in the task's own process: no
module, no connection, nothing sent to the host.
"""

from __future__ import annotations

from ansible.errors import AnsibleActionFail

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import nginx_checks
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.check_action import CheckAction

_SPEC = {
    'sites': {'type': 'list', 'elements': 'dict', 'required': True},
    'upstreams': {'type': 'list', 'elements': 'dict', 'default': []},
    'host_values': {'type': 'list', 'elements': 'raw', 'required': True},
    'log_format_main': {'type': 'str', 'required': True},
    'limit_req': {'type': 'dict', 'required': True},
    'limit_req_zones': {'type': 'list', 'elements': 'dict', 'required': True},
    'catch_all': {'type': 'bool', 'required': True},
    'resolvers': {'type': 'list', 'elements': 'str', 'default': []},
    'tls_min_days_left': {'type': 'int', 'required': True},
}


class ActionModule(CheckAction):
    """Refuse the nginx role's settings that its argument spec lets through but Nginx (or a browser) would not."""

    SPEC = _SPEC
    _requires_connection = False

    def check(self, args):
        args = {name: nginx_checks.plain(args[name]) for name in _SPEC}
        try:
            # The messages name sites, keys and values, never a key's text; `stapling`
            # names the sites whose template turns OCSP stapling on.
            return nginx_checks.check(**args)
        except nginx_checks.CryptographyMissing as exc:
            raise AnsibleActionFail(str(exc)) from exc
