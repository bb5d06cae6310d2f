# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The app model: what an `apps` entry may hold, and what only the whole list tells.

Pure functions over plain data (the roles' argument specs, resolved values); the action
plugin pywebstack.webstack.app_model feeds them and templates the roles' defaults.
Tested in tests/unit/plugins/plugin_utils/test_app_model.py.
"""

from __future__ import annotations

import re

# The app role's variables an entry may not set: what the host allows every app.
APP_HOST_ONLY = frozenset(['writable_outside_root', 'validated', 'installer', 'uv_command'])

# The uwsgi role's variables an entry's `uwsgi` dict may not set. Wired from the app role
# (who the workers run as, from where, with which code: WIRING below) or the host's
# (how uWSGI is installed, the socket's group and mode, the unit's options, the list of
# uWSGI options the operators allow). Every other uwsgi_* option is the app's: a new one
# added to the role (default, argument spec, README row) is per app with no change here.
UWSGI_HOST_ONLY = frozenset([
    'mode', 'vassals_dir', 'install_method', 'pip_virtualenv', 'pip_version', 'manage_somaxconn',
    'master', 'chmod_socket', 'socket_group', 'vacuum', 'logto', 'stats', 'service_options',
    'extra_options_allowed', 'validated', 'healthcheck_since_file',
])

# How the app tier's roles are wired: the uwsgi role's variables taken from the app
# role's (and the nginx role's proxy timeout). The playbooks' vars/app_tier.yml holds the
# same wiring for the play; an entry cannot set these in its `uwsgi` dict.
WIRING = {
    'uwsgi_instance': 'app_name',
    'uwsgi_state': 'app_state',
    'uwsgi_user': 'app_user',
    'uwsgi_group': 'app_group',
    'uwsgi_virtualenv': 'app_venv',
    'uwsgi_chdir': 'app_code_dir',
    'uwsgi_module': 'app_wsgi_module',
    'uwsgi_env_file': 'app_env_file',
}
UWSGI_WIRED = frozenset(['instance', 'state', 'user', 'group', 'virtualenv', 'chdir', 'module', 'env_file',
                         'touch_reload', 'proxy_read_timeout', 'writable_paths'])

# Values never printed: the app's secrets and its shared files' contents.
SECRET_KEYS = frozenset(['app_secret_environment', 'app_shared_files'])


def _options(spec, prefix):
    """A role's options without their prefix and without their defaults (templates of other
    variables: a default is the role's business, an entry has its own values)."""
    return {name[len(prefix):]: {k: v for k, v in option.items() if k != 'default'}
            for name, option in spec.items() if name.startswith(prefix)}


def uwsgi_app_keys(uwsgi_spec):
    """The uwsgi role's options an entry's `uwsgi` dict may set, without the prefix."""
    return sorted(set(_options(uwsgi_spec, 'uwsgi_')) - UWSGI_HOST_ONLY - UWSGI_WIRED)


def entry_spec(app_spec, uwsgi_spec):
    """The argument spec of one `apps` entry: the app role's options without their prefix
    (but those only the host may set), `name` required, the uwsgi role's per-app options in
    its `uwsgi` dict, and `site` (the nginx role checks it as one of nginx_sites)."""
    options = {k: v for k, v in _options(app_spec, 'app_').items() if k not in APP_HOST_ONLY}
    uwsgi = _options(uwsgi_spec, 'uwsgi_')
    options['name'] = {'type': 'str', 'required': True}
    options['uwsgi'] = {'type': 'dict', 'options': {k: uwsgi[k] for k in uwsgi_app_keys(uwsgi_spec)}}
    options['site'] = {'type': 'dict'}
    return {'apps': {'type': 'list', 'elements': 'dict', 'options': options}}


def bound_keys(app_defaults, uwsgi_defaults, entries):
    """The role variables the entries use (app_<key>, and uwsgi_<key> of their `uwsgi`
    dicts): only these are bound per app; the others keep the roles' own defaults."""
    used_app = {k for entry in entries for k in entry}
    used_uwsgi = {k for entry in entries for k in (entry.get('uwsgi') or {})}
    return ([k for k in app_defaults if k.startswith('app_') and k[4:] in used_app]
            + [k for k in uwsgi_defaults if k.startswith('uwsgi_') and k[6:] in used_uwsgi])


def entry_values(entry):
    """An entry's own values as role variables: app_<key>, uwsgi_<key>."""
    values = {'app_' + k: v for k, v in entry.items() if k not in ('uwsgi', 'site')}
    values.update({'uwsgi_' + k: v for k, v in (entry.get('uwsgi') or {}).items()})
    return values


def static_outside(aliases, roots):
    """The aliases that lie outside every root (each with one trailing slash, so
    /srv/a/current matches the root /srv/a/current/ and /srv/a/currently does not), or
    hold a '.' or '..' segment."""
    roots = [root.rstrip('/') + '/' for root in roots]
    outside = []
    for alias in aliases:
        path = str(alias).rstrip('/') + '/'
        if re.search(r'/\.\.?/', path) or not any(path.startswith(root) for root in roots):
            outside.append(alias)
    return outside


def static_roots(values, allowed):
    """Where an app's static aliases may point: its release, its static directory, its
    shared paths, and the host's apps_static_roots_allowed."""
    roots = [values['app_code_dir']]
    if values['app_static_dir'].startswith('/'):
        roots.append(values['app_static_dir'])
    roots += [values['app_root'] + '/shared/' + path for path in values['app_shared_paths']]
    return [root.rstrip('/') + '/' for root in roots + list(allowed)]


def site(values, entry_site, hostname):
    """The app's Nginx site: its name, state, server name and uWSGI socket, its static
    directory at /static/, and the entry's `site` over them."""
    static = values['app_static_dir']
    if static and not static.startswith('/'):
        static = values['app_code_dir'] + '/' + static
    socket = values['uwsgi_socket']
    record = {
        'name': values['app_name'],
        'state': values['app_state'],
        'server_name': [hostname],
        'uwsgi_pass': 'unix:' + socket if socket.startswith('/') else socket,
        'static': [{'location': '/static/', 'alias': static.rstrip('/') + '/'}] if static else [],
    }
    record.update(entry_site or {})
    return record


def check_unique(apps):
    """The message when two apps share a name, two present apps a socket or a server name."""
    present = [app for app in apps if app['state'] == 'present']
    names = [app['name'] for app in apps]
    sockets = [app['socket'] for app in present]
    server_names = [name for app in present for name in app['site'].get('server_name', [])]
    if all(len(set(x)) == len(x) for x in (names, sockets, server_names)):
        return None
    return ('apps: every app needs its own name (got %s), its own socket (got %s) and its own server names (got %s).'
            % (names, sockets, server_names))


def web_sites(given, apps):
    """A web host's Nginx sites: the inventory's nginx_sites, and the site of each app
    this host runs that nginx_sites does not name."""
    named = {s['name'] for s in given}
    return list(given) + [app['site'] for app in apps if app['site']['name'] not in named]


def acme_certificates(sites):
    """The certificates the acme role keeps: one for each present site with
    `tls.source: acme`, named after the site, for its server names."""
    return [{'name': s['name'], 'domains': s.get('server_name', ['_'])} for s in sites
            if s.get('state', 'present') == 'present' and (s.get('tls') or {}).get('source') == 'acme']


def drainable(sockets, upstreams):
    """The sockets of a deploy's batch it may mark down in the web hosts' upstreams: every
    one but those of an upstream whose servers all lie in the batch. Draining that upstream
    would leave Nginx no server to send to (a 502 for each request until the batch is back);
    left up, its apps reload in place, one worker at a time, and keep serving."""
    batch = set(sockets)
    whole = set()
    for upstream in upstreams or []:
        servers = set(upstream.get('servers') or [])
        if servers and servers <= batch:
            whole |= servers
    return [socket for socket in sockets if socket not in whole]
