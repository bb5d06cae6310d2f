#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""Write one file from the content given, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: write_file
short_description: Write a file from its content in one round trip, checked before it replaces the old one
version_added: 1.6.0
description:
  - Writes O(content) to O(path) with O(owner), O(group) and O(mode), unless the file already holds exactly
    that. What the roles render (a template looked up on the controller) or ship (a file of theirs) is passed
    as the content, so a file costs one round trip; M(ansible.builtin.template) and M(ansible.builtin.copy)
    take three (a remote stat, the transfer, the module).
  - The new content is written to a temporary file beside O(path) (C(.NAME.pywebstack-tmp), which the next
    write replaces when a run was cut before the rename), given its owner, group and mode, checked with
    O(validate) when set, then renamed over O(path), so the file is never half written and a candidate the
    check refuses never replaces the one in use.
  - Meant for configuration and small scripts (the content travels with the module's arguments); binary files
    and large ones are for M(ansible.builtin.copy).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
attributes:
  check_mode:
    support: full
  diff_mode:
    support: full
    details: The diff shows the file's text before and after (not for a task with C(no_log)).
  platform:
    platforms: posix
options:
  path:
    description: The file to write. Its directory must exist.
    type: path
    required: true
  content:
    description:
      - The file's whole content, as text.
      - It is an argument, so give a task whose content is secret C(no_log) (the module then logs nothing on the host
        and returns no diff), as with M(ansible.builtin.copy)'s O(ansible.builtin.copy#module:content).
    type: str
    required: true
  owner:
    description: The file's owner.
    type: str
    default: root
  group:
    description: The file's group.
    type: str
    default: root
  mode:
    description: The file's permissions, as an octal string such as C("0644").
    type: str
    required: true
  validate:
    description:
      - A command run on the candidate before it replaces O(path); C(%s) stands for the candidate's path. The file
        is not replaced when it exits non-zero, and the task fails with its output.
    type: str
"""

EXAMPLES = r"""
- name: Render nginx.conf, checked by nginx -t before it replaces the running one
  pywebstack.webstack.write_file:
    path: /etc/nginx/nginx.conf
    content: "{{ lookup('ansible.builtin.template', 'nginx.conf.j2') }}"
    owner: root
    group: root
    mode: "0644"
    validate: /usr/local/sbin/nginx-check-candidate %s /etc/nginx/nginx.conf
"""

RETURN = r"""
path:
  description: The file.
  returned: always
  type: str
  sample: /etc/nginx/nginx.conf
written:
  description: Whether the content was written (not only the owner, group or mode set).
  returned: always
  type: bool
"""

import contextlib
import fcntl
import grp
import os
import pwd
import shlex

from ansible.module_utils.basic import AnsibleModule
from ansible.module_utils.common.text.converters import to_bytes, to_text


class Refused(Exception):
    """The candidate failed the check, or the file cannot be written; the message says which."""


def current(path: str):
    """The file's content and stat, or (None, None) when nothing is there."""
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None, None
    if not os.path.isfile(path):
        raise Refused(f"{path} is not a regular file")
    with open(path, "rb") as handle:
        return handle.read(), st


def ids(owner: str, group: str) -> tuple:
    """The owner's uid and the group's gid."""
    try:
        uid = pwd.getpwnam(owner).pw_uid
    except KeyError:
        raise Refused(f"owner {owner} does not exist on the host") from None
    try:
        gid = grp.getgrnam(group).gr_gid
    except KeyError:
        raise Refused(f"group {group} does not exist on the host") from None
    return uid, gid


def write(params: dict, check: bool, run=None) -> dict:
    """Write the file when anything differs; run(argv) -> (rc, out, err) runs the check.
    Returns {"changed", "written", "before"} (before: the old content, None when new)."""
    path = params["path"]
    content = to_bytes(params["content"], errors="surrogate_or_strict")
    mode = int(params["mode"], 8)
    directory = os.path.dirname(path) or "."
    # A dry run is told what a real one would do: a run that first makes the directory, the
    # user or the group (a fresh host) would then write the file.
    if not os.path.isdir(directory):
        if check:
            return {"changed": True, "written": True, "before": None}
        raise Refused(f"directory {directory} does not exist: the file {path} cannot be written there")
    with taking_turns(directory, check):
        return _write(params, check, run, content, mode, directory)


@contextlib.contextmanager
def taking_turns(directory: str, check: bool):
    """Writers of one directory take turns (an exclusive flock on it, released when closed):
    the hosts of a deploy batch delegate the same upstream file to one web host at once.
    Each then reads what the one before it wrote, and never shares the candidate's name."""
    if check:
        yield
        return
    descriptor = os.open(directory, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        yield
    finally:
        os.close(descriptor)


def _write(params: dict, check: bool, run, content: bytes, mode: int, directory: str) -> dict:
    """write()'s work once its directory is there (and, for a real run, its turn came)."""
    path = params["path"]
    before, st = current(path)
    try:
        uid, gid = ids(params["owner"], params["group"])
    except Refused:
        if check:
            return {"changed": True, "written": before != content, "before": before}
        raise
    written = before != content
    changed = written or st.st_uid != uid or st.st_gid != gid or st.st_mode & 0o7777 != mode
    result = {"changed": changed, "written": written, "before": before}
    if not changed or check:
        return result
    if not written:
        os.chown(path, uid, gid)
        os.chmod(path, mode)
        return result
    # One name per target, beside it: a run cut between writing the candidate and the rename
    # leaves it, and the next write replaces it (a dotfile: the *.conf and *.ini globs that
    # Nginx and uWSGI read do not match it).
    candidate = os.path.join(directory, f".{os.path.basename(path)}.pywebstack-tmp")
    if os.path.lexists(candidate):
        os.unlink(candidate)
    descriptor = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    try:
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
        os.chown(candidate, uid, gid)
        os.chmod(candidate, mode)
        if params["validate"]:
            if "%s" not in params["validate"]:
                raise Refused(f"validate must name the candidate with %s: {params['validate']}")
            argv = [candidate if word == "%s" else word.replace("%s", candidate)
                    for word in shlex.split(params["validate"])]
            rc, out, err = run(argv)
            if rc != 0:
                raise Refused(f"{path} was not replaced: {params['validate']} refused the new content "
                              f"(exit {rc}): {(err or out).strip()}")
        os.rename(candidate, path)
    finally:
        if os.path.exists(candidate):
            os.unlink(candidate)
    return result


def main() -> None:
    module = AnsibleModule(
        argument_spec={
            "path": {"type": "path", "required": True},
            "content": {"type": "str", "required": True},
            "owner": {"type": "str", "default": "root"},
            "group": {"type": "str", "default": "root"},
            "mode": {"type": "str", "required": True},
            "validate": {"type": "str"},
        },
        supports_check_mode=True,
    )
    try:
        int(module.params["mode"], 8)
    except ValueError:
        module.fail_json(msg=f"mode {module.params['mode']!r} is not an octal string such as '0644'")
    try:
        result = write(module.params, module.check_mode, run=module.run_command)
    except (Refused, OSError) as exc:
        module.fail_json(msg=str(exc), path=module.params["path"])
    before = result.pop("before")
    if module._diff and result["written"]:
        result["diff"] = {
            "before_header": module.params["path"],
            "after_header": module.params["path"],
            "before": "" if before is None else to_text(before, errors="surrogate_or_replace"),
            "after": module.params["content"],
        }
    module.exit_json(path=module.params["path"], **result)


if __name__ == "__main__":
    main()
