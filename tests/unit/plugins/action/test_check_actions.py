"""The roles' check actions, run as Ansible runs them: refusals fail the task with every
message at once, a settings dict missing a name is an error that names it."""

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.pywebstack.webstack.plugins.action import app_check, uwsgi_check

from ansible_collections.pywebstack.webstack.tests.unit.plugins.plugin_utils.test_uwsgi_checks import GOOD


def _action(module, args, action_name):
    task = MagicMock(args=args, async_val=0, action=action_name)
    loader = DataLoader()
    return module.ActionModule(task, MagicMock(), MagicMock(), loader, Templar(loader=loader), None)


def test_good_settings_pass_and_change_nothing():
    result = _action(uwsgi_check, {'settings': dict(GOOD)}, 'pywebstack.webstack.uwsgi_check').run(task_vars={})
    assert result.get('failed') is not True and result['changed'] is False


def test_every_refusal_fails_the_task_at_once():
    settings = dict(GOOD, uwsgi_stats=':5002', uwsgi_user='root')
    result = _action(uwsgi_check, {'settings': settings}, 'pywebstack.webstack.uwsgi_check').run(task_vars={})
    assert result['failed'] is True and len(result['refused']) == 2
    assert result['msg'] == ' '.join(result['refused'])
    assert "uwsgi_stats ':5002'" in result['msg'] and "got 'root', 'demo'" in result['msg']


def test_a_settings_dict_missing_a_name_is_an_error_naming_it():
    settings = dict(GOOD)
    del settings['uwsgi_socket']
    with pytest.raises(AnsibleActionFail, match='uwsgi_check: settings lacks uwsgi_socket'):
        _action(uwsgi_check, {'settings': settings}, 'pywebstack.webstack.uwsgi_check').run(task_vars={})


def test_the_app_check_reads_the_account_only_for_an_app_to_deploy(tmp_path):
    settings = {
        'app_name': 'demo', 'app_state': 'present', 'app_wsgi_module': 'app:app', 'app_user': 'demo',
        'app_group': 'demo', 'app_root': '/srv/demo', 'app_code_dir': '/srv/demo/current',
        'app_venv': '/srv/demo/current/.venv', 'app_static_dir': 'static', 'app_writable_dirs': [],
        'app_writable_outside_root': [], 'app_shared_paths': [], 'app_shared_file_paths': [], 'app_environment': {},
        'app_secret_environment': {}, 'app_commands': [], 'app_release_source': 'dir', 'app_source_dir': str(tmp_path),
        'app_source_git_repo': '', 'app_source_archive': '',
    }
    action = _action(app_check, {'settings': settings, 'user_comment': 'demo WSGI app'}, 'pywebstack.webstack.app_check')
    action._low_level_execute_command = MagicMock(return_value={
        'rc': 0, 'stdout': 'demo:x:33:33:www-data:/var/www:/usr/sbin/nologin\n', 'stderr': ''})
    result = action.run(task_vars={})
    assert result['failed'] is True and '(uid 33)' in result['msg']
    assert action._low_level_execute_command.call_args.args[0] == 'getent passwd -- demo'
    # No such account (getent exits 2): nothing refused.
    action._low_level_execute_command = MagicMock(return_value={'rc': 2, 'stdout': '', 'stderr': ''})
    assert action.run(task_vars={}).get('failed') is not True
    # An app being removed: nothing read.
    absent = _action(app_check, {'settings': dict(settings, app_state='absent'), 'user_comment': 'demo WSGI app'},
                     'pywebstack.webstack.app_check')
    absent._low_level_execute_command = MagicMock()
    assert absent.run(task_vars={}).get('failed') is not True
    absent._low_level_execute_command.assert_not_called()
