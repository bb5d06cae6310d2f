# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The uwsgi role's checks of its settings, as plain functions (pywebstack.webstack.uwsgi_check
runs them on the controller). Each check says what it refuses with the keys and values it
refused; every check runs, so a run names every refused key at once. A message must hold
for any value the role's argument_specs lets through."""

from __future__ import annotations

import json
import re

# uwsgi_extra_options that would change identity, run commands or code, or read other
# configuration: refused unless uwsgi_extra_options_allowed names them (a * matches any rest).
OPTIONS_REFUSED = (
    'uid', 'gid', 'hook-*', 'exec-*', 'call-*', 'plugin*', 'emperor*', 'master-as-root', 'chroot', 'cap', 'unshare*',
    'attach-*', 'smart-attach-*', 'legion*', 'cron*', 'unique-cron*', 'worker-exec*', 'touch-exec', 'route*',
    'final-route*', 'response-route*', 'error-route*', 'pidfile*', 'safe-pidfile*', 'ini', 'include', 'inherit', 'json',
    'yaml', 'xml', 'for-readline', 'if-*', 'set', 'declare-option*', 'import', 'pyimport', 'python-import',
    'shared-import', 'shared-pyimport', 'pyexec', 'mule*', 'spooler*', 'fork-server', 'daemonize*', 'logto', 'logger*',
    'req-logger*', 'virtualenv', 'home', 'pythonhome', 'chdir*', 'module', 'wsgi*', 'mount', 'socket', 'uwsgi-socket',
    'http-socket',
)
_REFUSED = re.compile('^(' + '|'.join(re.escape(name).replace(r'\*', '.*') for name in OPTIONS_REFUSED) + ')$')

# uwsgi_service_options the unit may take: resource limits and timeouts.
SERVICE_OPTIONS_ALLOWED = re.compile(
    r'^(Memory[A-Za-z]*|CPU[A-Za-z]*|IO[A-Za-z]*|Tasks[A-Za-z]*|Limit[A-Z]+|Nice|OOMScoreAdjust|Timeout[A-Za-z]*'
    r'|Restart[A-Za-z]*|StartLimit[A-Za-z]*|Slice|WatchdogSec)$')

# The kernel's classic maximum listen queue: the role raises net.core.somaxconn up to it.
SOMAXCONN_MAX = 65535


def _int(value, fallback=-1):
    try:
        return int(value)
    except (TypeError, ValueError):
        return fallback


def _flatten(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        else:
            yield value


def _text(value):
    """A value as Jinja's `string` filter makes it (True, 1, 'x')."""
    return str(value)


def refused_options(extra_options: dict, allowed: list) -> list:
    """The extra options refused: those that change identity or run code, unless allowed,
    then those that are not a lower-case name of letters, digits and dashes."""
    names = list(extra_options)
    return ([name for name in names if _REFUSED.match(name) and name not in allowed]
            + [name for name in names if not re.match(r'^[a-z0-9][a-z0-9-]*$', name)])


def unsafe_values(v: dict) -> list:
    """Every value the ini and the unit are written from that holds a newline, a carriage
    return, a NUL, or uWSGI's @( or $( magic."""
    written = [v['uwsgi_instance'], v['uwsgi_module'], v['uwsgi_chdir'], v['uwsgi_virtualenv'], v['uwsgi_env_file'],
               v['uwsgi_socket'], v['uwsgi_logto'], v['uwsgi_stats'], v['uwsgi_user'], v['uwsgi_group'],
               v['uwsgi_socket_group'], v['uwsgi_chmod_socket']]
    written += list(v['uwsgi_touch_reload']) + list(v['uwsgi_writable_paths']) + list(v['uwsgi_ip_address_allow'])
    written += list(v['uwsgi_extra_options']) + [_text(value) for value in _flatten(v['uwsgi_extra_options'].values())]
    written += list(v['uwsgi_service_options']) + [_text(value) for value in v['uwsgi_service_options'].values()]
    return [text for text in map(_text, written) if re.search(r'[\n\r\x00]|@\(|\$\(', text)]


def refusals(v: dict, somaxconn=None) -> list:
    """The messages of every check v (the uwsgi_* values by name) fails; [] when all pass.
    somaxconn: the host's net.core.somaxconn, needed only when uwsgi_manage_somaxconn is off."""
    found = []

    def check(ok, msg):
        if not ok:
            found.append(msg)

    processes, threads, listen, harakiri = (_int(v[key]) for key in
                                            ('uwsgi_processes', 'uwsgi_threads', 'uwsgi_listen', 'uwsgi_harakiri'))
    buffer_size, cheaper = _int(v['uwsgi_buffer_size']), _int(v['uwsgi_cheaper'])
    check(processes >= 1 and threads >= 1 and listen >= 1 and harakiri >= 1 and 4096 <= buffer_size <= 65535
          and re.match(r'^[a-z][a-z0-9_-]*$', v['uwsgi_instance']) and 0 <= cheaper < processes,
          f"uwsgi_processes, uwsgi_threads, uwsgi_listen and uwsgi_harakiri must be at least 1 "
          f"(got {v['uwsgi_processes']}, {v['uwsgi_threads']}, {v['uwsgi_listen']}, {v['uwsgi_harakiri']}), "
          f"uwsgi_cheaper at least 0 and below uwsgi_processes (got {v['uwsgi_cheaper']}), "
          f"uwsgi_buffer_size between 4096 and 65535 (got {v['uwsgi_buffer_size']}), "
          f"uwsgi_instance a lower-case name (got '{v['uwsgi_instance']}').")

    socket = v['uwsgi_socket']
    check((re.match(r'^/', socket) or re.match(r'^[^:\s]+:[0-9]+$', socket))
          and not re.match(r'^(0\.0\.0\.0|\*|\[::\])?:', socket),
          f"uwsgi_socket '{socket}' must be a unix socket path or ADDRESS:PORT on one address: the article's ':8700' "
          f"(every interface) lets anyone who reaches the host set any WSGI variable.")

    stats = v['uwsgi_stats']
    check(stats in ('', 'auto') or re.match(r'^/', stats) or re.match(r'^(127\.[0-9.]+|localhost|\[::1\]):[0-9]+$', stats),
          f"uwsgi_stats '{stats}' must be a loopback address (127.0.0.1:PORT), a unix socket path, auto, or empty.")

    check(re.match(r'^/var/log/[^/]+(/[^/]+)*/[^/]+$', v['uwsgi_logto']),
          f"uwsgi_logto '{v['uwsgi_logto']}' must be a file in a directory under /var/log/ "
          f"(systemd creates that directory for the app's user).")

    check(harakiri < _int(v['uwsgi_proxy_read_timeout']),
          f"uwsgi_harakiri ({v['uwsgi_harakiri']} s) must be below uwsgi_proxy_read_timeout "
          f"({v['uwsgi_proxy_read_timeout']} s, Nginx's uwsgi_read_timeout): otherwise Nginx answers 504 while the "
          f"stuck worker keeps running.")

    # uWSGI refuses to start when listen exceeds net.core.somaxconn; the role raises that
    # sysctl (uwsgi_manage_somaxconn) but never past 65535, the classic kernel maximum.
    managed = bool(v['uwsgi_manage_somaxconn'])
    cap = SOMAXCONN_MAX if managed else _int(somaxconn, 0)
    check(listen <= cap,
          f"uwsgi_listen {v['uwsgi_listen']} is above what the kernel allows "
          f"({'at most 65535' if managed else f'net.core.somaxconn is {cap} and uwsgi_manage_somaxconn is off'}).")

    # One option per line: a newline in a value would add options of its own (a hook that
    # runs a command); @(...) and $(...) make uWSGI read a file or the environment while it
    # parses. NUL and carriage returns have no place in either file.
    unsafe = unsafe_values(v)
    check(not unsafe,
          f"These uwsgi_* values hold a newline, a carriage return, a NUL, @( or $( (one option per line; no uWSGI "
          f"file or environment magic): {json.dumps(unsafe)}.")

    refused = refused_options(v['uwsgi_extra_options'], list(v['uwsgi_extra_options_allowed']))
    check(not refused,
          f"uwsgi_extra_options {refused} would change who the app runs as, run commands or code, or read other "
          f"configuration (the uwsgi role's README lists what is refused), or is not a lower-case name of letters, "
          f"digits and dashes. Allow a refused option for this host with uwsgi_extra_options_allowed.")

    # The unit's user, group, sandbox and commands are the role's; an override would undo them.
    service_refused = [name for name in v['uwsgi_service_options'] if not SERVICE_OPTIONS_ALLOWED.match(name)]
    check(not service_refused,
          f"uwsgi_service_options {service_refused} may not be set: the unit's User=, Group=, sandbox and Exec lines "
          f"are the role's. Allowed: resource and timeout settings (Memory*, CPU*, IO*, Tasks*, Limit*, Nice, "
          f"OOMScoreAdjust, Timeout*, Restart*, StartLimit*, Slice, WatchdogSec).")

    bad_paths = [path for path in v['uwsgi_writable_paths'] if not re.match(r'^/(?!.*(^|/)\.\.?(/|$))[^\s]+$', path)]
    check(v['uwsgi_user'] not in ('root', 'nobody') and v['uwsgi_group'] not in ('root', 'nogroup') and not bad_paths,
          f"uwsgi_user/uwsgi_group may not be root or nobody/nogroup (got '{v['uwsgi_user']}', '{v['uwsgi_group']}'), "
          f"and uwsgi_writable_paths must be absolute paths without '..' or spaces (got {list(v['uwsgi_writable_paths'])}).")

    # The path and Host go into the request the check sends after every deploy: a space,
    # a newline or a control character would add to it (a header, another request) and
    # the check could never pass; refused here, before anything changes, not after 60 s.
    statuses = list(v['uwsgi_healthcheck_statuses'])
    check(re.match(r'^/[!-~]*$', v['uwsgi_healthcheck_path']) and re.match(r'^[!-~]+$', v['uwsgi_healthcheck_host'])
          and all(100 <= _int(status) <= 599 for status in statuses) and _int(v['uwsgi_healthcheck_retries']) >= 1,
          f"uwsgi_healthcheck_path must start with / and uwsgi_healthcheck_host be non-empty, both printable ASCII "
          f"without spaces or control characters (got {json.dumps(v['uwsgi_healthcheck_path'])}, "
          f"{json.dumps(v['uwsgi_healthcheck_host'])}); uwsgi_healthcheck_statuses HTTP statuses 100-599 "
          f"(got {statuses}); uwsgi_healthcheck_retries at least 1 (got {v['uwsgi_healthcheck_retries']}).")
    return found
