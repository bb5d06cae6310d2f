# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the write_file module: a file from its content, validated, then renamed into
place; and of the directory module: a directory with its owner, group and mode (standard
library only: each action runs it with the host's Python directly, plugin_utils/host_work.py,
write_file's content on stdin with the other arguments)."""

from __future__ import annotations

import contextlib
import fcntl
import grp
import os
import pwd
import shlex
import subprocess

SPEC = {
    "path": {"type": "path", "required": True},
    "content": {"type": "str", "required": True},
    "owner": {"type": "str", "default": "root"},
    "group": {"type": "str", "default": "root"},
    "mode": {"type": "str", "required": True},
    "validate": {"type": "str"},
}


def run_command(argv: list) -> tuple:
    """(rc, stdout, stderr) of argv."""
    done = subprocess.run(argv, capture_output=True, check=False)
    return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


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
    """Write the file when anything differs; run(argv) -> (rc, out, err) runs the check
    (run_command by default).
    Returns {"changed", "written", "before"} (before: the old content, None when new)."""
    path = params["path"]
    content = params["content"].encode("utf-8", "surrogateescape")
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
    try:
        uid, gid = ids(params["owner"], params["group"])
    except Refused:
        if check:
            before, _st = current(params["path"])
            return {"changed": True, "written": before != content, "before": before}
        raise
    return settle(params["path"], content, uid, gid, mode, check, params["validate"], run, directory)


def settle(path: str, content: bytes, uid: int, gid: int, mode: int, check: bool = False, validate=None, run=None,
           directory=None) -> dict:
    """Make path hold content with that owner, group and mode: nothing when it does, the
    owner and mode alone when only they differ, else a new file in its place (validate, a
    command naming the candidate with %s, checks it first). The caller holds the directory's
    turn. Returns {"changed", "written", "before"} (before: the old content, None when new)."""
    directory = directory or os.path.dirname(path) or "."
    before, st = current(path)
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
        if validate:
            if "%s" not in validate:
                raise Refused(f"validate must name the candidate with %s: {validate}")
            argv = [candidate if word == "%s" else word.replace("%s", candidate) for word in shlex.split(validate)]
            rc, out, err = (run or run_command)(argv)
            if rc != 0:
                raise Refused(f"{path} was not replaced: {validate} refused the new content "
                              f"(exit {rc}): {(err or out).strip()}")
        os.rename(candidate, path)
    finally:
        if os.path.exists(candidate):
            os.unlink(candidate)
    return result


def write_file(params: dict, check_mode: bool = False) -> dict:
    """write_file's work: write() with its refusals as the task's failure, and the diff when
    params carries `_diff` (the task's diff mode, which the action or the module adds)."""
    try:
        int(params["mode"], 8)
    except ValueError:
        return {"failed": True, "msg": f"mode {params['mode']!r} is not an octal string such as '0644'"}
    try:
        result = write(params, check_mode)
    except (Refused, OSError) as exc:
        return {"failed": True, "msg": str(exc), "path": params["path"]}
    before = result.pop("before")
    if params.get("_diff") and result["written"]:
        result["diff"] = {
            "before_header": params["path"],
            "after_header": params["path"],
            "before": "" if before is None else before.decode("utf-8", "surrogateescape"),
            "after": params["content"],
        }
    return dict(result, path=params["path"])


# write_file's options but the content and its check.
DIRECTORY_SPEC = {name: SPEC[name] for name in ("path", "owner", "group", "mode")}


def directory(params: dict, check_mode: bool = False) -> dict:
    """The directory module's work: params["path"] a directory with that owner, group and
    mode; the missing directories above it made with the same (as ansible.builtin.file's
    state=directory does). Returns {"changed", "created", "path"}, or the failure naming why."""
    path = params["path"]
    try:
        mode = int(params["mode"], 8)
    except ValueError:
        return {"failed": True, "msg": f"mode {params['mode']!r} is not an octal string such as '0755'", "path": path}
    missing = []
    at = os.path.abspath(path)
    while not os.path.lexists(at):
        missing.insert(0, at)
        at = os.path.dirname(at)
    if not os.path.isdir(at):
        return {"failed": True, "msg": f"{at} exists and is not a directory: {path} cannot be one", "path": path}
    try:
        uid, gid = ids(params["owner"], params["group"])
    except Refused as exc:
        # A dry run on a fresh host, where the run before this task would add the user.
        if check_mode:
            return {"changed": True, "created": bool(missing), "path": path}
        return {"failed": True, "msg": str(exc), "path": path}
    st = None if missing else os.stat(path)
    changed = bool(missing) or (st.st_uid, st.st_gid, st.st_mode & 0o7777) != (uid, gid, mode)
    if changed and not check_mode:
        try:
            for made in missing:
                os.mkdir(made, 0o700)
                os.chown(made, uid, gid)
                os.chmod(made, mode)
            if not missing:
                os.chown(path, uid, gid)
                os.chmod(path, mode)
        except OSError as exc:
            return {"failed": True, "msg": f"{path}: {exc}", "path": path}
    return {"changed": changed, "created": bool(missing), "path": path}
