"""The app model's pure functions, on the roles' real argument specs and defaults."""

import os

import pytest
import yaml

from ansible.module_utils.common.arg_spec import ArgumentSpecValidator
from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_model as model

ROLES = os.path.join(os.path.dirname(__file__), '..', '..', '..', '..', 'roles')


def _load(role, path):
    with open(os.path.join(ROLES, role, path), encoding='utf-8') as handle:
        return yaml.safe_load(handle)


APP_SPEC = _load('app', 'meta/argument_specs.yml')['argument_specs']['main']['options']
UWSGI_SPEC = _load('uwsgi', 'meta/argument_specs.yml')['argument_specs']['main']['options']
APP_DEFAULTS = _load('app', 'defaults/main.yml')
UWSGI_DEFAULTS = _load('uwsgi', 'defaults/main.yml')


def _errors(entries):
    return ArgumentSpecValidator(model.entry_spec(APP_SPEC, UWSGI_SPEC)).validate({'apps': entries}).error_messages


def test_an_entry_takes_the_app_roles_options_without_their_prefix():
    assert _errors([{'name': 'shop', 'kind': 'django', 'uwsgi': {'processes': 4, 'cheaper': 1}}]) == []


def test_an_entry_needs_a_name_and_the_roles_choices():
    assert any('missing required arguments: name' in e for e in _errors([{'kind': 'flask'}]))
    assert any('value of kind must be one of: flask, django, got: pyramid found in apps' in e
               for e in _errors([{'name': 'a', 'kind': 'pyramid'}]))


def test_host_only_and_wired_keys_are_refused_in_an_entry():
    assert any('writable_outside_root' in e for e in _errors([{'name': 'a', 'writable_outside_root': ['/tmp']}]))
    # What builds the releases is the host's (the python role installs it), not an app's.
    for key, value in (('installer', 'pip'), ('uv_command', '/usr/bin/uv')):
        assert any(key in e for e in _errors([{'name': 'a', key: value}])), key
    for key in ('user', 'mode', 'install_method', 'service_options', 'extra_options_allowed', 'chmod_socket'):
        assert any(key in e for e in _errors([{'name': 'a', 'uwsgi': {key: 'x'}}])), key


def test_every_other_uwsgi_option_is_per_app_without_a_list_to_keep():
    keys = model.uwsgi_app_keys(UWSGI_SPEC)
    assert {'processes', 'cheaper', 'threads', 'harakiri', 'socket', 'healthcheck_path'} <= set(keys)
    spec = dict(UWSGI_SPEC, uwsgi_some_new_key={'type': 'int', 'default': 1})
    assert 'some_new_key' in model.uwsgi_app_keys(spec)
    assert not set(keys) & (model.UWSGI_HOST_ONLY | model.UWSGI_WIRED)


def test_the_spec_keeps_no_defaults():
    options = model.entry_spec(APP_SPEC, UWSGI_SPEC)['apps']['options']
    assert all('default' not in option for option in options.values())
    assert all('default' not in option for option in options['uwsgi']['options'].values())


def test_only_the_keys_the_entries_use_are_bound_whatever_their_order():
    entries = [{'name': 'a', 'uwsgi': {'processes': 2}}, {'name': 'b', 'environment': {'X': '1'}}]
    bound = model.bound_keys(APP_DEFAULTS, UWSGI_DEFAULTS, entries)
    assert sorted(bound) == ['app_environment', 'app_name', 'uwsgi_processes']
    assert sorted(model.bound_keys(APP_DEFAULTS, UWSGI_DEFAULTS, entries[::-1])) == sorted(bound)
    assert model.bound_keys(APP_DEFAULTS, UWSGI_DEFAULTS, [{}]) == []


def test_entry_values_carry_the_prefixes():
    assert model.entry_values({'name': 'a', 'uwsgi': {'threads': 2}, 'site': {'x': 1}}) == {'app_name': 'a', 'uwsgi_threads': 2}


@pytest.mark.parametrize('alias, outside', [
    ('/srv/a/current/static/', False),
    ('/srv/a/current', False),
    ('/srv/a/currently/', True),
    ('/etc/', True),
    ('/srv/a/current/../../other/', True),
    ('/srv/a/current/./static/', True),
    ('/srv/a/shared/media/', False),
    ('/var/www/common/', False),
])
def test_static_aliases_stay_in_the_apps_tree(alias, outside):
    values = {'app_code_dir': '/srv/a/current', 'app_static_dir': 'static', 'app_root': '/srv/a', 'app_shared_paths': ['media']}
    roots = model.static_roots(values, ['/var/www/common'])
    assert roots == ['/srv/a/current/', '/srv/a/shared/media/', '/var/www/common/']
    assert model.static_outside([alias], roots) == ([alias] if outside else [])


def test_the_site_defaults_and_the_entry_over_them():
    values = {'app_name': 'a', 'app_state': 'present', 'app_static_dir': 'static', 'app_code_dir': '/srv/a/current',
              'uwsgi_socket': '/run/uwsgi/a/uwsgi.sock'}
    site = model.site(values, None, 'web1')
    assert site == {'name': 'a', 'state': 'present', 'server_name': ['web1'], 'uwsgi_pass': 'unix:/run/uwsgi/a/uwsgi.sock',
                    'static': [{'location': '/static/', 'alias': '/srv/a/current/static/'}]}
    site = model.site(dict(values, uwsgi_socket='10.0.0.2:8700', app_static_dir=''), {'server_name': ['a.example']}, 'web1')
    assert site['uwsgi_pass'] == '10.0.0.2:8700' and site['static'] == [] and site['server_name'] == ['a.example']


def _app(name, socket, server_names, state='present'):
    return {'name': name, 'state': state, 'socket': socket, 'site': {'name': name, 'server_name': server_names}}


def test_names_sockets_and_server_names_are_each_used_once():
    assert model.check_unique([_app('a', 's1', ['a']), _app('b', 's2', ['b'])]) is None
    assert "its own socket (got ['s1', 's1'])" in model.check_unique([_app('a', 's1', ['a']), _app('b', 's1', ['b'])])
    assert "its own server names (got ['x', 'x'])" in model.check_unique([_app('a', 's1', ['x']), _app('b', 's2', ['x'])])
    assert "its own name (got ['a', 'a'])" in model.check_unique([_app('a', 's1', ['a']), _app('a', 's2', ['b'])])
    # An app being removed gives its socket and names up.
    assert model.check_unique([_app('a', 's1', ['a']), _app('b', 's1', ['a'], state='absent')]) is None


def test_web_sites_and_acme_certificates():
    given = [{'name': 'a', 'server_name': ['a.example']}]
    apps = [_app('a', 's1', ['ignored']), _app('b', 's2', ['b.example'])]
    apps[1]['site'].update(tls={'source': 'acme'}, state='present')
    sites = model.web_sites(given, apps)
    assert [s['name'] for s in sites] == ['a', 'b'] and sites[0] is given[0]
    assert model.acme_certificates(sites) == [{'name': 'b', 'domains': ['b.example']}]
    assert model.acme_certificates([dict(sites[1], state='absent')]) == []


def test_a_batch_drains_only_what_leaves_each_upstream_a_server():
    upstreams = [{'name': 'shop', 'servers': ['10.0.0.1:3031', '10.0.0.2:3031']},
                 {'name': 'blog', 'servers': ['10.0.0.1:3032']}]
    # One of shop's two hosts: drained. blog's only server: left up, it reloads in place.
    assert model.drainable(['10.0.0.1:3031', '10.0.0.1:3032'], upstreams) == ['10.0.0.1:3031']
    # Every shop host in one batch: none of them drained.
    assert model.drainable(['10.0.0.1:3031', '10.0.0.2:3031'], upstreams) == []
    # No upstreams (all in one host): nothing to keep.
    assert model.drainable(['/run/uwsgi/a.sock'], []) == ['/run/uwsgi/a.sock']
