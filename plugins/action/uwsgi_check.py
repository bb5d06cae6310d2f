# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Action plugin pywebstack.webstack.uwsgi_check: the uwsgi role's checks of its settings.

Its documentation is plugins/modules/uwsgi_check.py (an action plugin's docs live in a module file).
The checks were a table of Jinja expressions in an assert loop: every run compiled and
rendered each of them, about 0.3 s of controller time; here they are Python
(plugins/plugin_utils/uwsgi_checks.py, with unit tests), run in the task's own process.
"""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import uwsgi_checks
from ansible_collections.pywebstack.webstack.plugins.plugin_utils.check_action import CheckAction

_SPEC = {
    'settings': {'type': 'dict', 'required': True},
    'somaxconn': {'type': 'int'},
}

# The uwsgi_* values the checks read, each required in O(settings).
SETTINGS = (
    'uwsgi_processes', 'uwsgi_threads', 'uwsgi_listen', 'uwsgi_harakiri', 'uwsgi_buffer_size', 'uwsgi_cheaper',
    'uwsgi_instance', 'uwsgi_module', 'uwsgi_chdir', 'uwsgi_virtualenv', 'uwsgi_env_file', 'uwsgi_socket',
    'uwsgi_logto', 'uwsgi_stats', 'uwsgi_user', 'uwsgi_group', 'uwsgi_socket_group', 'uwsgi_chmod_socket',
    'uwsgi_touch_reload', 'uwsgi_writable_paths', 'uwsgi_ip_address_allow', 'uwsgi_extra_options',
    'uwsgi_extra_options_allowed', 'uwsgi_service_options', 'uwsgi_proxy_read_timeout', 'uwsgi_manage_somaxconn',
    'uwsgi_healthcheck_path', 'uwsgi_healthcheck_host', 'uwsgi_healthcheck_statuses', 'uwsgi_healthcheck_retries',
)


class ActionModule(CheckAction):
    """Refuse the uwsgi role's settings that fail a check, naming every refused key."""

    SPEC = _SPEC
    SETTINGS = SETTINGS
    _requires_connection = False

    def check(self, args):
        return {'refused': uwsgi_checks.refusals(args['settings'], args['somaxconn'])}
