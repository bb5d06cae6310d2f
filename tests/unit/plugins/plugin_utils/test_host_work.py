"""The host work's way: BOOT run by a real Python with the job on stdin, as the host runs it,
and the action choosing between that and the module."""

from __future__ import annotations

import base64
import grp
import hashlib
import importlib
import json
import os
import pwd
import re
import subprocess
import sys
from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar
from ansible_collections.pywebstack.webstack.plugins.action import app_probe, app_release, app_switch, write_file
from ansible_collections.pywebstack.webstack.plugins.plugin_utils import host_work


def execute(cmd, in_data):
    """What _low_level_execute_command returns, for a command run here by sh."""
    assert isinstance(in_data, bytes)  # the docker connection takes nothing else
    done = subprocess.run(['/bin/sh', '-c', cmd], input=in_data, capture_output=True, check=False)
    return {'rc': done.returncode, 'stdout': done.stdout.decode(), 'stderr': done.stderr.decode()}


def probe_params(tmp_path):
    return {'user': 'no-such-user-here', 'group': 'no-such-group-here', 'marker': str(tmp_path / 'marker'),
            'dirs': [str(tmp_path), str(tmp_path / 'missing')], 'reload_file': str(tmp_path / 'reload'),
            'reloaded': [], 'rendered': {}, 'code_dir': str(tmp_path / 'current'),
            'releases_dir': str(tmp_path / 'releases'), 'release': 'abc'}


def test_the_host_runs_the_work_from_sources_sent_on_stdin(tmp_path):
    (tmp_path / 'marker').write_text('done')
    job = host_work.job(app_probe.ActionModule.SOURCES, ('app_host', 'probe'), probe_params(tmp_path), False)
    found = host_work.answer(execute(host_work.command(sys.executable), job))
    assert found['changed'] is False and found['user'] is None and found['group'] is None
    assert found['marker'] == hashlib.sha1(b'done').hexdigest()
    assert found['dirs'][str(tmp_path)]['mode'] == '%04o' % (os.stat(tmp_path).st_mode & 0o7777)
    assert found['dirs'][str(tmp_path / 'missing')] is None and found['release'] == {'exists': False, 'marker': ''}


def test_check_mode_reaches_the_work(tmp_path):
    (tmp_path / 'releases' / 'new').mkdir(parents=True)
    params = {'release': str(tmp_path / 'releases' / 'new'), 'link': str(tmp_path / 'current'), 'group': 'no-such-group',
              'marker': 'new app:app\n', 'previous': None, 'touch': [], 'prune': []}
    job = host_work.job(app_switch.ActionModule.SOURCES, ('app_host', 'make_live'), params, True)
    found = host_work.answer(execute(host_work.command(sys.executable), job))
    # Under --check a missing group is no failure, and nothing is written.
    assert found['changed'] is True and found['switched'] is True and found['marked'] is True
    assert not (tmp_path / 'current').exists() and not (tmp_path / 'releases' / 'new' / '.complete').exists()
    job = host_work.job(app_switch.ActionModule.SOURCES, ('app_host', 'make_live'), params, False)
    found = host_work.answer(execute(host_work.command(sys.executable), job))
    assert found == {'failed': True, 'msg': 'group no-such-group does not exist'}


def test_an_error_in_the_work_is_a_failure_that_names_it(tmp_path):
    params = dict(probe_params(tmp_path), dirs=None)
    job = host_work.job(app_probe.ActionModule.SOURCES, ('app_host', 'probe'), params, False)
    found = host_work.answer(execute(host_work.command(sys.executable), job))
    assert found['failed'] is True and found['msg'].startswith('TypeError: ') and 'Traceback' in found['exception']


ACTIONS = ('app_probe', 'app_release', 'app_switch', 'apt_install', 'directory', 'firewall_probe', 'nginx_probe', 'python_probe', 'uv_install',
           'uwsgi_probe', 'write_file')


@pytest.mark.parametrize('name', ACTIONS)
def test_each_action_sends_every_file_its_work_imports_before_it(name):
    sources = importlib.import_module(f'ansible_collections.pywebstack.webstack.plugins.action.{name}').ActionModule.SOURCES
    for index, source in enumerate(sources):
        imported = re.findall(r'^from ansible_collections\.pywebstack\.webstack\.plugins\.module_utils\.(\w+) import',
                              host_work.source(source), re.MULTILINE)
        assert set(imported) <= set(sources[:index]), (name, source, imported)
        assert 'import ansible' not in host_work.source(source) and 'from ansible.' not in host_work.source(source)


def test_a_source_left_out_is_a_failure_naming_the_missing_module(tmp_path):
    job = host_work.job(('host_state', 'app_host'), ('app_host', 'probe'), probe_params(tmp_path), False)
    with pytest.raises(AnsibleActionFail, match=r"No module named 'ansible_collections\.pywebstack'"):
        host_work.answer(execute(host_work.command(sys.executable), job))


def test_a_host_that_prints_no_answer_fails_the_task_with_its_last_words():
    with pytest.raises(AnsibleActionFail, match=r"did not answer \(rc 127\): .*python9: not found"):
        host_work.answer(execute(host_work.command('python9'), b'{}'))
    with pytest.raises(AnsibleActionFail, match=r"did not answer \(rc 0\): not json"):
        host_work.answer({'rc': 0, 'stdout': 'not json', 'stderr': ''})


def test_the_arguments_travel_on_stdin_not_on_the_command_line(tmp_path):
    job = host_work.job(app_probe.ActionModule.SOURCES, ('app_host', 'probe'), probe_params(tmp_path), False)
    assert str(tmp_path) not in host_work.command('/usr/bin/python3') and str(tmp_path).encode() in job
    assert json.loads(job)['sources'][0][0] == 'ansible_collections.pywebstack.webstack.plugins.module_utils.host_state'


def _action(module, args, delegate_to=None):
    task = MagicMock(args=args, async_val=0, delegate_to=delegate_to, check_mode=False)
    loader = DataLoader()
    action = module.ActionModule(task, MagicMock(), MagicMock(), loader, Templar(loader=loader), None)
    action._execute_module = MagicMock(return_value={'changed': False, 'by': 'module'})
    action._low_level_execute_command = MagicMock(side_effect=lambda cmd, sudoable, in_data: execute(cmd, in_data))
    return action


def test_the_action_runs_the_work_with_the_hosts_python_where_ansible_would_pipeline(tmp_path):
    action = _action(app_probe, probe_params(tmp_path))
    action._is_pipelining_enabled = MagicMock(return_value=True)
    found = action.run(task_vars={'ansible_facts': {'discovered_interpreter_python': sys.executable}})
    assert found['changed'] is False and 'by' not in found and found['live'] == ''
    assert action._low_level_execute_command.call_args.kwargs['sudoable'] is True
    # Arguments are checked against the module's spec first, as AnsibleModule would.
    action = _action(app_probe, dict(probe_params(tmp_path), colour='red'))
    action._is_pipelining_enabled = MagicMock(return_value=True)
    with pytest.raises(AnsibleActionFail, match='colour'):
        action.run(task_vars={'ansible_python_interpreter': sys.executable})


def test_an_interpreter_set_in_ansibles_config_is_the_hosts_python(tmp_path, monkeypatch):
    # interpreter_python = /path in ansible.cfg: Ansible discovers nothing, so no fact says it.
    monkeypatch.setenv('ANSIBLE_PYTHON_INTERPRETER', sys.executable)
    action = _action(app_probe, probe_params(tmp_path))
    action._is_pipelining_enabled = MagicMock(return_value=True)
    found = action.run(task_vars={})
    assert 'by' not in found and found['live'] == ''
    assert action._low_level_execute_command.call_args.args[0] == host_work.command(sys.executable)


@pytest.mark.parametrize('pipelining, delegate_to, task_vars', [
    (False, None, {'ansible_python_interpreter': '/usr/bin/python3'}),       # pipelining off or impossible
    (True, None, {'ansible_python_interpreter': 'auto_silent', 'ansible_facts': {}}),  # not discovered yet
    # Delegated: the delegated host's Python, not known here though this host's is.
    (True, 'web1', {'ansible_python_interpreter': '/usr/bin/python3',
                    'ansible_delegated_vars': {'web1': {'ansible_facts': {}}}}),
])
def test_otherwise_the_action_runs_the_module(tmp_path, pipelining, delegate_to, task_vars):
    action = _action(app_switch, {'release': str(tmp_path), 'link': str(tmp_path / 'current'), 'group': 'g'}, delegate_to)
    action._is_pipelining_enabled = MagicMock(return_value=pipelining)
    assert action.run(task_vars=task_vars)['by'] == 'module'
    action._low_level_execute_command.assert_not_called()


def test_a_release_archive_travels_with_the_arguments_unless_it_is_large(tmp_path, monkeypatch):
    archive = tmp_path / 'release.tar.gz'
    archive.write_bytes(b'tar bytes')
    args = {'archive': str(archive), 'release': str(tmp_path / 'r'), 'group': 'g', 'venv': str(tmp_path / 'r' / 'v'),
            'reload_file': str(tmp_path / 'reload')}
    action = _action(app_release, args)
    action._is_pipelining_enabled = MagicMock(return_value=True)
    action._low_level_execute_command = MagicMock(return_value={'rc': 0, 'stdout': '{"changed": true}', 'stderr': ''})
    assert action.run(task_vars={'ansible_python_interpreter': '/usr/bin/python3'}) == {'changed': True}
    sent = json.loads(action._low_level_execute_command.call_args.kwargs['in_data'])
    assert base64.b64decode(sent['params']['archive_content']) == b'tar bytes'
    assert sent['params']['archive'] == str(archive) and sent['work'][1] == 'write'
    # Larger than ARCHIVE_INLINE_MAX: copied to the remote temporary directory, then the module.
    monkeypatch.setattr(app_release, 'ARCHIVE_INLINE_MAX', 4)
    action = _action(app_release, args)
    action._is_pipelining_enabled = MagicMock(return_value=True)
    for name in ('_make_tmp_path', '_transfer_file', '_fixup_perms2', '_remove_tmp_path'):
        setattr(action, name, MagicMock())
    action._connection._shell.join_path = lambda *parts: '/'.join(parts)
    action._connection._shell.tmpdir = '/tmp/ansible-tmp-1'
    assert action.run(task_vars={'ansible_python_interpreter': '/usr/bin/python3'})['by'] == 'module'
    action._transfer_file.assert_called_once_with(str(archive), '/tmp/ansible-tmp-1/release.tar.gz')
    assert action._execute_module.call_args.kwargs['module_args']['archive'] == '/tmp/ansible-tmp-1/release.tar.gz'
    action._remove_tmp_path.assert_called_once_with('/tmp/ansible-tmp-1')
    action._low_level_execute_command.assert_not_called()


def test_a_missing_release_archive_is_refused_by_name(tmp_path):
    action = _action(app_release, {'archive': str(tmp_path / 'gone.tar.gz')})
    action._is_pipelining_enabled = MagicMock(return_value=True)
    with pytest.raises(AnsibleActionFail, match=r"archive '.*gone.tar.gz' is not a file on the controller"):
        action.run(task_vars={'ansible_python_interpreter': '/usr/bin/python3'})


def test_write_file_sends_its_content_and_the_tasks_diff_mode_on_stdin(tmp_path):
    me = pwd.getpwuid(os.getuid()).pw_name
    target = tmp_path / 'site.conf'
    action = _action(write_file, {'path': str(target), 'content': 'secret = 1\n', 'owner': me,
                                  'group': grp.getgrgid(os.getgid()).gr_name, 'mode': '0600'})
    action._task.diff = True
    action._is_pipelining_enabled = MagicMock(return_value=True)
    found = action.run(task_vars={'ansible_python_interpreter': sys.executable})
    assert found['changed'] is True and found['diff']['after'] == 'secret = 1\n' and target.read_text() == 'secret = 1\n'
    cmd = action._low_level_execute_command.call_args.args[0]
    assert 'secret' not in cmd and b'secret = 1' in action._low_level_execute_command.call_args.kwargs['in_data']


def test_a_delegated_task_runs_the_work_with_the_delegated_hosts_python(tmp_path):
    action = _action(app_probe, probe_params(tmp_path), delegate_to='web1')
    action._is_pipelining_enabled = MagicMock(return_value=True)
    found = action.run(task_vars={'ansible_facts': {'discovered_interpreter_python': '/no/such/python'},
                                  'ansible_delegated_vars': {'web1': {'ansible_facts': {
                                      'discovered_interpreter_python': sys.executable}}}})
    assert found['changed'] is False and 'by' not in found
    assert sys.executable in action._low_level_execute_command.call_args.args[0]
