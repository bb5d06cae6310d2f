"""The app role's checks: the demo's settings pass; each bad value is refused, named."""

from __future__ import annotations

import pytest

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import app_checks


@pytest.fixture(name="good")
def good_settings(tmp_path):
    return {
        'app_name': 'demo', 'app_state': 'present', 'app_wsgi_module': 'app:app', 'app_user': 'demo',
        'app_group': 'demo', 'app_root': '/srv/demo', 'app_code_dir': '/srv/demo/current',
        'app_venv': '/srv/demo/current/.venv', 'app_static_dir': 'static', 'app_writable_dirs': ['/srv/demo/shared/data'],
        'app_writable_outside_root': [], 'app_shared_paths': ['instance'], 'app_shared_file_paths': ['config/local.py'],
        'app_environment': {'FLASK_ENV': 'production'}, 'app_secret_environment': {'SECRET_KEY': 's3cret'},
        'app_commands': [{'name': 'migrate', 'command': ['flask', 'db', 'upgrade']}],
        'app_release_source': 'dir', 'app_source_dir': str(tmp_path), 'app_source_git_repo': '',
        'app_source_archive': '',
    }


def refused(good, account=None, **changes):
    return app_checks.refusals(dict(good, **changes), account, 'demo WSGI app')


def test_the_demo_settings_pass(good):
    assert refused(good) == []
    assert refused(good, account=['x', '998', '998', 'demo WSGI app', '/srv/demo', '/usr/sbin/nologin']) == []


def test_the_callable_and_the_names(good):
    assert refused(good, app_wsgi_module='app') == [
        "app_wsgi_module must be module:attribute or module:factory() (uWSGI calls a factory with no arguments; "
        "got 'app'), app_name and app_user lower-case names (got 'demo', 'demo')."]
    assert refused(good, app_wsgi_module='shop:create_app()') == []
    assert refused(good, app_name='Demo')[0].startswith('app_wsgi_module must be')


def test_an_account_and_a_root_of_its_own(good):
    message = ("app_user and app_group may not be root or nobody/nogroup (got 'demo', 'demo'), and app_root must be a "
               "directory of the app's own below a path such as /srv or /opt, not a system directory (got '/etc/demo').")
    assert refused(good, app_root='/etc/demo', app_code_dir='/etc/demo/current', app_venv='/etc/demo/current/.venv',
                   app_writable_dirs=[]) == [message]
    for root in ('/srv', '/srv/../etc/x', '/home/demo'):
        assert any(m.startswith('app_user and app_group may not') for m in refused(good, app_root=root)), root
    assert refused(good, app_group='nogroup')[0].startswith('app_user and app_group may not')


def test_an_existing_account_the_role_did_not_make(good):
    assert refused(good, account=['x', '33', '33', 'www-data', '/var/www', '/usr/sbin/nologin'], app_user='www-data')[-1] == (
        "app_user 'www-data' of app 'demo' is an existing account this role did not make for it (uid 33): give the "
        "app a user of its own.")
    # An app being removed may name any account: nothing is made.
    assert refused(good, account=['x', '33', '33', 'www-data', '/', '/bin/sh'], app_state='absent') == []


def test_environment_names_and_one_line_values_never_printed(good):
    messages = refused(good, app_environment={'BAD-NAME': 'x', 'OK': 'a\nLD_PRELOAD=/tmp/x.so'},
                       app_commands=[{'name': 'migrate', 'command': 'true', 'environment': {'X': 'y\r'}}])
    assert messages == [
        "app_environment, app_secret_environment and the commands' environment need variable names (got ['BAD-NAME']) "
        "and values on one line (2 value(s) hold a newline, a carriage return or a NUL; values are not printed)."]
    assert 'LD_PRELOAD' not in messages[0]


def test_paths_stay_inside_the_tree(good):
    message = ("app_venv must lie inside app_code_dir (got '/opt/venv'); the paths the app may write (app_writable_dirs, "
               "and app_static_dir when it is absolute) inside app_root /srv/demo or in app_writable_outside_root (got "
               "['/var/lib/demo'] outside); and app_shared_paths and every app_shared_files path relative paths inside "
               "the release, without '..' (got ['instance', 'config/local.py']).")
    assert refused(good, app_venv='/opt/venv', app_writable_dirs=['/var/lib/demo']) == [message]
    assert refused(good, app_writable_dirs=['/var/lib/demo'], app_writable_outside_root=['/var/lib/demo']) == []
    for bad in ({'app_shared_paths': ['../etc']}, {'app_shared_file_paths': ['/etc/passwd']},
                {'app_static_dir': '/srv/demo/../etc'}, {'app_static_dir': '/var/www/static'},
                {'app_writable_dirs': ['/srv/demo/x/../y']}):
        assert refused(good, **bad)[0].startswith('app_venv must lie inside'), bad


def test_the_release_source_on_the_controller(good, tmp_path):
    assert refused(good, app_source_dir=str(tmp_path / 'missing')) == [
        f"app_release_source 'dir' needs app_source_dir to be a directory on the controller (got '{tmp_path / 'missing'}')."]
    assert refused(good, app_release_source='git') == [
        "app_release_source 'git' needs app_source_git_repo (a URL) and app_source_git_version."]
    assert refused(good, app_release_source='git', app_source_git_repo='https://example.invalid/x.git') == []
    archive = tmp_path / 'release.tar.gz'
    assert refused(good, app_release_source='archive', app_source_archive=str(archive)) == [
        f"app_release_source 'archive' needs app_source_archive to be a tar.gz on the controller (got '{archive}')."]
    archive.write_bytes(b'')
    assert refused(good, app_release_source='archive', app_source_archive=str(archive)) == []
    assert refused(good, app_source_dir='/nonexistent', app_state='absent') == []


def test_commands_that_can_run(good):
    assert refused(good, app_commands=[{'name': 'bad name', 'command': 'true'}, {'name': 'empty', 'command': []},
                                       {'name': 'mixed', 'command': ['echo', 1]}]) == [
        "app_commands entry 'bad name': the name must be letters, digits, '.', '_' or '-', and the command a "
        'non-empty string or list of strings (got "true").',
        "app_commands entry 'empty': the name must be letters, digits, '.', '_' or '-', and the command a "
        "non-empty string or list of strings (got []).",
        "app_commands entry 'mixed': the name must be letters, digits, '.', '_' or '-', and the command a "
        'non-empty string or list of strings (got ["echo", 1]).']


def test_the_passwd_entry_of_a_user():
    text = "root:x:0:0:root:/root:/bin/bash\ndemo:x:998:998:demo WSGI app:/srv/demo:/usr/sbin/nologin\n"
    assert app_checks.passwd_entry(text, 'demo') == ['x', '998', '998', 'demo WSGI app', '/srv/demo', '/usr/sbin/nologin']
    assert app_checks.passwd_entry(text, 'dem') is None
    assert app_checks.passwd_entry('', 'demo') is None
    assert app_checks.passwd_entry("demo:x:998:998:demo WSGI app:/srv/demo:/usr/sbin/nologin\r\n", 'demo')[3] == 'demo WSGI app'
