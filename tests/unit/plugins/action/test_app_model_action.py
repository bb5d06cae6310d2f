"""The action plugin on the roles' real files, with Ansible's own loader and templar."""

from unittest.mock import MagicMock

import pytest

from ansible.errors import AnsibleActionFail
from ansible.parsing.dataloader import DataLoader
from ansible.template import Templar, trust_as_template
from ansible_collections.pywebstack.webstack.plugins.action.app_model import ActionModule


def _run(args, task_vars=None):
    task = MagicMock(args=args, async_val=0)
    loader = DataLoader()
    action = ActionModule(task, MagicMock(), MagicMock(), loader, Templar(loader=loader), None)
    return action.run(task_vars=dict({'inventory_hostname': 'web1', 'ansible_facts': {}}, **(task_vars or {})))


def test_defaults_follow_each_apps_own_name_in_any_order():
    apps = [{'name': 'shop', 'uwsgi': {'processes': 2}}, {'name': 'blog', 'user': 'writer', 'site': {'server_name': ['blog.example']}}]
    result = _run({'apps': apps})
    shop, blog = result['apps']
    assert (shop['user'], shop['group'], shop['socket']) == ('shop', 'shop', '/run/uwsgi/shop/uwsgi.sock')
    assert (blog['user'], blog['group'], blog['socket']) == ('writer', 'writer', '/run/uwsgi/blog/uwsgi.sock')
    # Every key an entry uses is bound for every app: blog does not inherit shop's processes.
    assert shop['vars']['uwsgi_processes'] == 2 and blog['vars']['app_user'] == 'writer' and shop['vars']['app_user'] == 'shop'
    assert (shop['vars']['uwsgi_healthcheck_host'], blog['vars']['uwsgi_healthcheck_host']) == ('web1', 'blog.example')


def test_the_hosts_top_level_values_come_between_the_entry_and_the_default():
    apps = [{'name': 'a'}, {'name': 'b', 'root': '/opt/b', 'site': {'server_name': ['b.example']}}]
    result = _run({'apps': apps}, {'app_root': trust_as_template('/data/{{ app_name }}')})
    a, b = result['apps']
    assert a['site']['static'] == [] and a['vars'] == {'app_name': 'a', 'app_root': '/data/a', 'uwsgi_healthcheck_host': 'web1'}
    assert b['vars']['app_root'] == '/opt/b'


def test_a_host_without_apps_is_one_app_from_its_top_level_variables():
    result = _run({}, {'app_name': 'solo', 'uwsgi_healthcheck_host': 'solo.example'})
    (solo,) = result['apps']
    assert solo['name'] == 'solo' and solo['vars'] == {} and solo['site']['server_name'] == ['web1']


def test_secrets_are_marked_and_the_result_is_not_printed():
    result = _run({'apps': [{'name': 'a', 'secret_environment': {'K': 'v'}}]})
    assert result['apps'][0]['secret'] == ['app_secret_environment'] and result['_ansible_no_log'] is True


@pytest.mark.parametrize('apps, message', [
    ([{'name': 'a', 'kind': 'pyramid'}], 'value of kind must be one of: flask, django, got: pyramid found in apps'),
    ([{'name': 'a', 'uwsgi': {'user': 'root'}}], 'user'),
    ([{'name': 'a'}, {'name': 'b', 'uwsgi': {'socket': '/run/uwsgi/a/uwsgi.sock'}}],
     "its own socket (got ['/run/uwsgi/a/uwsgi.sock', '/run/uwsgi/a/uwsgi.sock'])"),
    ([{'name': 'a', 'site': {'static': [{'location': '/static/', 'alias': '/etc/'}]}}],
     "apps entry 'a': site.static aliases must lie inside the app's own tree (/srv/a/current/) or under "
     "apps_static_roots_allowed, without '..' (got ['/etc/'] outside)"),
])
def test_bad_entries_are_refused_naming_the_key(apps, message):
    with pytest.raises(AnsibleActionFail) as failure:
        _run({'apps': apps})
    assert message in str(failure.value)
