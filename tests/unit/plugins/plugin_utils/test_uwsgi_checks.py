"""The uwsgi role's checks: the demo's settings pass; each bad value is refused, named."""

from __future__ import annotations

import pytest

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import uwsgi_checks

GOOD = {
    'uwsgi_processes': 4, 'uwsgi_threads': 2, 'uwsgi_listen': 1024, 'uwsgi_harakiri': 30, 'uwsgi_buffer_size': 32768,
    'uwsgi_cheaper': 0, 'uwsgi_instance': 'demo', 'uwsgi_module': 'app:app', 'uwsgi_chdir': '/srv/demo/current',
    'uwsgi_virtualenv': '/srv/demo/current/.venv', 'uwsgi_env_file': '/etc/demo/env',
    'uwsgi_socket': '/run/uwsgi/demo/app.sock', 'uwsgi_logto': '/var/log/uwsgi/demo/demo.log', 'uwsgi_stats': 'auto',
    'uwsgi_user': 'demo', 'uwsgi_group': 'demo', 'uwsgi_socket_group': 'www-data', 'uwsgi_chmod_socket': '660',
    'uwsgi_touch_reload': ['/srv/demo/reload'], 'uwsgi_writable_paths': ['/srv/demo/shared/data'],
    'uwsgi_ip_address_allow': [], 'uwsgi_extra_options': {'max-requests': 5000, 'py-call-osafterfork': True},
    'uwsgi_extra_options_allowed': [], 'uwsgi_service_options': {'MemoryMax': '512M'},
    'uwsgi_proxy_read_timeout': 35, 'uwsgi_manage_somaxconn': True, 'uwsgi_healthcheck_path': '/healthz',
    'uwsgi_healthcheck_host': 'localhost', 'uwsgi_healthcheck_statuses': [200], 'uwsgi_healthcheck_retries': 30,
}


def refused(**changes):
    return uwsgi_checks.refusals(dict(GOOD, **changes))


def test_the_demo_settings_pass():
    assert uwsgi_checks.refusals(GOOD) == []


def test_workers_and_timeouts():
    assert refused(uwsgi_processes=0) == [
        "uwsgi_processes, uwsgi_threads, uwsgi_listen and uwsgi_harakiri must be at least 1 (got 0, 2, 1024, 30), "
        "uwsgi_cheaper at least 0 and below uwsgi_processes (got 0), uwsgi_buffer_size between 4096 and 65535 "
        "(got 32768), uwsgi_instance a lower-case name (got 'demo')."]
    for bad in ({'uwsgi_cheaper': 4}, {'uwsgi_buffer_size': 70000}, {'uwsgi_instance': 'Demo'}, {'uwsgi_threads': '0'}):
        assert refused(**bad)[0].startswith('uwsgi_processes, uwsgi_threads'), bad


@pytest.mark.parametrize('socket', [':8700', '0.0.0.0:8700', '*:8700', '[::]:8700', 'relative.sock'])
def test_the_socket_on_one_address(socket):
    assert refused(uwsgi_socket=socket) == [
        f"uwsgi_socket '{socket}' must be a unix socket path or ADDRESS:PORT on one address: the article's ':8700' "
        "(every interface) lets anyone who reaches the host set any WSGI variable."]


def test_addresses_and_paths_that_pass():
    assert refused(uwsgi_socket='10.0.0.5:8700', uwsgi_stats='127.0.0.1:5002') == []
    assert refused(uwsgi_stats='/run/uwsgi/demo/stats.sock') == refused(uwsgi_stats='') == []


def test_stats_log_and_harakiri():
    assert refused(uwsgi_stats=':5002') == [
        "uwsgi_stats ':5002' must be a loopback address (127.0.0.1:PORT), a unix socket path, auto, or empty."]
    assert refused(uwsgi_logto='/tmp/demo.log') == [
        "uwsgi_logto '/tmp/demo.log' must be a file in a directory under /var/log/ (systemd creates that directory "
        "for the app's user)."]
    assert refused(uwsgi_harakiri=40) == [
        "uwsgi_harakiri (40 s) must be below uwsgi_proxy_read_timeout (35 s, Nginx's uwsgi_read_timeout): otherwise "
        "Nginx answers 504 while the stuck worker keeps running."]


def test_the_listen_queue_fits_the_kernel():
    assert refused(uwsgi_listen=100000) == ["uwsgi_listen 100000 is above what the kernel allows (at most 65535)."]
    settings = dict(GOOD, uwsgi_listen=5000, uwsgi_manage_somaxconn=False)
    assert uwsgi_checks.refusals(settings, 4096) == [
        "uwsgi_listen 5000 is above what the kernel allows (net.core.somaxconn is 4096 and uwsgi_manage_somaxconn is off)."]
    assert uwsgi_checks.refusals(settings, 8192) == []


def test_values_that_would_add_a_line_or_a_magic():
    assert refused(uwsgi_extra_options={'max-requests': "5000\nhook-asap = exec:touch /root/x"}) == [
        'These uwsgi_* values hold a newline, a carriage return, a NUL, @( or $( (one option per line; no uWSGI file '
        'or environment magic): ["5000\\nhook-asap = exec:touch /root/x"].']
    assert refused(uwsgi_extra_options={'max-requests': '@(/etc/shadow)'})[0].endswith(': ["@(/etc/shadow)"].')
    assert refused(uwsgi_service_options={'MemoryMax': '$(HOME)'})[0].endswith(': ["$(HOME)"].')
    assert refused(uwsgi_touch_reload=['/srv/demo/reload\r'])[0].startswith('These uwsgi_* values')
    # A list value of an extra option is checked item by item.
    assert refused(uwsgi_extra_options={'env': ['A=1', 'B=$(x)']})[0].endswith(': ["B=$(x)"].')


def test_extra_options_that_change_identity_or_run_code():
    message = ("uwsgi_extra_options ['hook-asap'] would change who the app runs as, run commands or code, or read "
               "other configuration (the uwsgi role's README lists what is refused), or is not a lower-case name of "
               "letters, digits and dashes. Allow a refused option for this host with uwsgi_extra_options_allowed.")
    assert refused(uwsgi_extra_options={'hook-asap': 'exec:true'}) == [message]
    assert refused(uwsgi_extra_options={'uid': 'root'})[0].startswith("uwsgi_extra_options ['uid'] would change")
    assert refused(uwsgi_extra_options={'hook-asap': 'exec:true'}, uwsgi_extra_options_allowed=['hook-asap']) == []
    assert refused(uwsgi_extra_options={'Max_Requests': 1})[0].startswith("uwsgi_extra_options ['Max_Requests']")
    # A name only like a refused one passes: the patterns match whole names.
    assert refused(uwsgi_extra_options={'uidx': 1, 'harakiri-verbose': True}) == []


def test_service_options_only_tune_resources():
    assert refused(uwsgi_service_options={'User': 'root', 'LimitNOFILE': 4096}) == [
        "uwsgi_service_options ['User'] may not be set: the unit's User=, Group=, sandbox and Exec lines are the "
        "role's. Allowed: resource and timeout settings (Memory*, CPU*, IO*, Tasks*, Limit*, Nice, OOMScoreAdjust, "
        "Timeout*, Restart*, StartLimit*, Slice, WatchdogSec)."]


def test_an_account_of_its_own_and_its_own_paths():
    assert refused(uwsgi_user='root') == [
        "uwsgi_user/uwsgi_group may not be root or nobody/nogroup (got 'root', 'demo'), and uwsgi_writable_paths must "
        "be absolute paths without '..' or spaces (got ['/srv/demo/shared/data'])."]
    for paths in (['relative'], ['/srv/demo/../etc'], ['/srv/demo/a b'], ['/srv/./x']):
        assert refused(uwsgi_writable_paths=paths)[0].startswith('uwsgi_user/uwsgi_group'), paths


def test_the_health_check_request():
    message = ('uwsgi_healthcheck_path must start with / and uwsgi_healthcheck_host be non-empty, both printable ASCII '
               'without spaces or control characters (got "/a b", "localhost"); uwsgi_healthcheck_statuses HTTP '
               'statuses 100-599 (got [200]); uwsgi_healthcheck_retries at least 1 (got 30).')
    assert refused(uwsgi_healthcheck_path='/a b') == [message]
    for bad in ({'uwsgi_healthcheck_host': ''}, {'uwsgi_healthcheck_statuses': [99]},
                {'uwsgi_healthcheck_statuses': [600]}, {'uwsgi_healthcheck_retries': 0}):
        assert refused(**bad)[0].startswith('uwsgi_healthcheck_path must start'), bad


def test_every_refused_key_is_named_at_once():
    assert len(refused(uwsgi_processes=0, uwsgi_stats=':1', uwsgi_user='root')) == 3
