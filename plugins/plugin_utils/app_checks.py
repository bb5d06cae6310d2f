# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The app role's checks of its settings, as plain functions (pywebstack.webstack.app_check
runs them on the controller, where the release is built). Each check says what it refuses
with the keys and values it refused (never an environment value: those may be secrets);
every check runs, so a run names every refused key at once."""

from __future__ import annotations

import json
import os
import re

# A path inside a tree: no '.' or '..' component, no whitespace.
_CLEAN_REST = r'(?!.*(^|/)\.\.?(/|$))[^\s]+$'


def _environments(v: dict) -> list:
    return ([v['app_environment'], v['app_secret_environment']]
            + [command.get('environment') or {} for command in v['app_commands']])


def passwd_entry(text: str, user: str):
    """The fields after the name (password, uid, gid, comment, home, shell) of user's line in
    passwd-format text (what `getent passwd` prints), None when it has none."""
    for line in text.splitlines():
        fields = line.strip().split(':')
        if len(fields) == 7 and fields[0] == user:
            return fields[1:]
    return None


def refusals(v: dict, account=None, user_comment: str = '') -> list:
    """The messages of every check v (the app_* values by name) fails; [] when all pass.
    account: the host's passwd entry of app_user (password, uid, gid, comment, home, shell,
    as passwd_entry() reads it), None when it has none;
    user_comment: the comment of an account the role made for this app."""
    found = []

    def check(ok, msg):
        if not ok:
            found.append(msg)

    check(re.match(r'^[A-Za-z_][A-Za-z0-9_.]*:[A-Za-z_][A-Za-z0-9_]*(\(\))?$', v['app_wsgi_module'])
          and re.match(r'^[a-z][a-z0-9_-]*$', v['app_name']) and re.match(r'^[a-z_][a-z0-9_-]*$', v['app_user']),
          f"app_wsgi_module must be module:attribute or module:factory() (uWSGI calls a factory with no arguments; "
          f"got '{v['app_wsgi_module']}'), app_name and app_user lower-case names (got '{v['app_name']}', "
          f"'{v['app_user']}').")

    # root and nobody are everyone's; the role also refuses, on the host, an existing account
    # it did not make for this app (probe.yml), and the playbook Nginx's user and other apps'.
    check(v['app_user'] not in ('root', 'nobody') and v['app_group'] not in ('root', 'nogroup')
          and re.match(r'^/(?!(etc|usr|bin|sbin|lib|lib32|lib64|libx32|boot|dev|proc|sys|run|tmp|var/tmp|root|home)(/|$))'
                       r'[^\s]+/[^\s/]+$', v['app_root'])
          and not re.search(r'(^|/)\.\.?(/|$)', v['app_root']),
          f"app_user and app_group may not be root or nobody/nogroup (got '{v['app_user']}', '{v['app_group']}'), "
          f"and app_root must be a directory of the app's own below a path such as /srv or /opt, not a system "
          f"directory (got '{v['app_root']}').")

    # An account this role made carries its comment; root, www-data or a person's would have
    # its home and shell changed, and the app's files would become its.
    check(v['app_state'] != 'present' or account is None or account[3] == user_comment,
          f"app_user '{v['app_user']}' of app '{v['app_name']}' is an existing account this role did not make for "
          f"it (uid {account[1] if account is not None else ''}): give the app a user of its own.")

    # One variable per line: a newline in a value would add variables of its own (LD_PRELOAD=...).
    environments = _environments(v)
    bad_names = [name for env in environments for name in env if not re.match(r'^[A-Za-z_][A-Za-z0-9_]*$', str(name))]
    multiline = [value for env in environments for value in map(str, env.values()) if re.search(r'[\n\r\x00]', value)]
    check(not bad_names and not multiline,
          f"app_environment, app_secret_environment and the commands' environment need variable names "
          f"(got {bad_names}) and values on one line ({len(multiline)} value(s) hold a newline, a carriage return "
          f"or a NUL; values are not printed).")

    writable = list(v['app_writable_dirs']) + ([v['app_static_dir']] if os.path.isabs(v['app_static_dir']) else [])
    outside = [path for path in writable
               if not re.match('^' + re.escape(v['app_root']) + '/' + _CLEAN_REST, path)
               and path not in v['app_writable_outside_root']]
    relative = list(v['app_shared_paths']) + list(v['app_shared_file_paths'])
    check(re.match('^' + re.escape(v['app_code_dir']) + '/[^/]', v['app_venv']) and not outside
          and all(re.match('^(?!/)' + _CLEAN_REST, path) for path in relative)
          and not re.search(r'(^|/)\.\.(/|$)|\s', v['app_static_dir']),
          f"app_venv must lie inside app_code_dir (got '{v['app_venv']}'); the paths the app may write "
          f"(app_writable_dirs, and app_static_dir when it is absolute) inside app_root {v['app_root']} or in "
          f"app_writable_outside_root (got {outside} outside); and app_shared_paths and every app_shared_files path "
          f"relative paths inside the release, without '..' (got {relative}).")

    # Tests of the controller's files, where the release is built.
    source = v['app_release_source']
    needs = {
        'dir': f"app_source_dir to be a directory on the controller (got '{v['app_source_dir']}')",
        'git': 'app_source_git_repo (a URL) and app_source_git_version',
        'archive': f"app_source_archive to be a tar.gz on the controller (got '{v['app_source_archive']}')",
    }
    check(v['app_state'] != 'present'
          or (source == 'dir' and os.path.isdir(os.path.expanduser(v['app_source_dir'])))
          or (source == 'git' and len(v['app_source_git_repo']) > 0)
          or (source == 'archive' and os.path.isfile(os.path.expanduser(v['app_source_archive']))),
          f"app_release_source '{source}' needs {needs.get(source, 'dir, git or archive')}.")

    for command in v['app_commands']:
        run = command.get('command')
        check(re.match(r'^[A-Za-z0-9][A-Za-z0-9_.-]*$', str(command.get('name', '')))
              and run and (isinstance(run, str) or all(isinstance(part, str) for part in run)),
              f"app_commands entry '{command.get('name', '')}': the name must be letters, digits, '.', '_' or '-', "
              f"and the command a non-empty string or list of strings (got {json.dumps(run)}).")
    return found
