# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the app role's modules app_probe (what the role finds in place) and
app_switch (make a release live), standard library only: their actions run it with the
host's Python directly (plugin_utils/host_work.py)."""

from __future__ import annotations

import grp
import os
import pwd
import shutil
import stat
import time

from ansible_collections.pywebstack.webstack.plugins.module_utils.file_host import settle, taking_turns
from ansible_collections.pywebstack.webstack.plugins.module_utils.host_state import mtime, ownership, rendered, sha1

PROBE_SPEC = {
    "user": {"type": "str", "required": True},
    "group": {"type": "str", "required": True},
    "marker": {"type": "path", "required": True},
    "dirs": {"type": "list", "elements": "path", "required": True},
    "reload_file": {"type": "path", "required": True},
    "reloaded": {"type": "list", "elements": "path", "required": True},
    "rendered": {"type": "dict", "default": {}},
    "code_dir": {"type": "path"},
    "releases_dir": {"type": "path"},
    "release": {"type": "str"},
}

# The owner of the marker and of the live link (the tests set their own user's).
OWNER = 0

SWITCH_SPEC = {
    "release": {"type": "path", "required": True},
    "link": {"type": "path", "required": True},
    "group": {"type": "str", "required": True},
    "marker": {"type": "str"},
    "previous": {"type": "path"},
    "touch": {"type": "list", "elements": "path", "default": []},
    "prune": {"type": "list", "elements": "path", "default": []},
}


def directory(path: str):
    """A directory's owner, group and mode, None when nothing is at the path."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(st.st_mode):
        return {"owner": "", "group": "", "mode": "not a directory"}
    return ownership(st)


def reload_owed(reload_file: str, reloaded: list) -> bool:
    """Whether a file the app reads at a reload changed after the reload file was last
    touched: a run cut before its handler. False when there is no reload file."""
    try:
        touched = os.stat(reload_file).st_mtime
    except OSError:
        return False
    return max([mtime(path, follow=False) for path in reloaded], default=0.0) > touched


def live(code_dir) -> str:
    """The release the live link points to, resolved; empty when it is no link."""
    if not code_dir or not os.path.islink(code_dir):
        return ""
    return os.path.realpath(code_dir)


def releases(releases_dir) -> list:
    """The release directories (a name that starts with a hex digit, not a link), each
    with its mtime: what the pruning sorts by."""
    found = []
    try:
        entries = list(os.scandir(releases_dir)) if releases_dir else []
    except OSError:
        return found
    for entry in entries:
        if entry.name[:1] in "0123456789abcdef" and entry.is_dir(follow_symlinks=False):
            found.append({"path": entry.path, "mtime": entry.stat(follow_symlinks=False).st_mtime})
    return sorted(found, key=lambda release: release["path"])


def this_release(releases_dir: str, release: str) -> dict:
    """Whether this run's release directory exists, and its marker's sha1 ("" without one)."""
    path = os.path.join(releases_dir, release)
    return {"exists": os.path.isdir(path), "marker": sha1(os.path.join(path, ".complete"))}


def probe(params: dict, check_mode: bool = False) -> dict:
    """What the app role asks the host in one round trip (app_probe's RETURN)."""
    del check_mode  # it only reads
    try:
        entry = pwd.getpwnam(params["user"])
        user = {"uid": entry.pw_uid, "gid": entry.pw_gid, "comment": entry.pw_gecos,
                "home": entry.pw_dir, "shell": entry.pw_shell, "group": grp.getgrgid(entry.pw_gid).gr_name}
    except KeyError:
        user = None
    try:
        group = {"gid": grp.getgrnam(params["group"]).gr_gid}
    except KeyError:
        group = None
    this = {}
    if params["releases_dir"] and params["release"]:
        this = {"release": this_release(params["releases_dir"], params["release"])}
    return {
        "changed": False,
        "user": user,
        "group": group,
        "marker": sha1(params["marker"]),
        "dirs": {path: directory(path) for path in params["dirs"]},
        "reload_owed": reload_owed(params["reload_file"], params["reloaded"]),
        "rendered": {path: rendered(path) == record for path, record in params["rendered"].items()},
        "live": live(params["code_dir"]),
        "releases": releases(params["releases_dir"]),
        **this,
    }


def write_file(path: str, content: bytes, gid: int, mode: int) -> bool:
    """content at path, OWNER's and the group's, with mode, the way write_file writes (a
    candidate beside it renamed over it, in the directory's turn); True when anything changed."""
    with taking_turns(os.path.dirname(path), False):
        return settle(path, content, OWNER, gid, mode)["changed"]


def point_link(link: str, target: str, gid: int = -1) -> None:
    """Point link at target atomically: a new link is renamed over the old one."""
    temporary = link + ".pywebstack-tmp"
    if os.path.lexists(temporary):
        os.unlink(temporary)
    os.symlink(target, temporary)
    if gid >= 0:
        os.lchown(temporary, OWNER, gid)
    os.rename(temporary, link)


def live_target(link: str) -> str:
    """The release the link points to, resolved; empty when there is no link."""
    return os.path.realpath(link) if os.path.islink(link) else ""


def switch(params: dict, gid: int, check: bool, now=None) -> dict:
    """Mark and switch as the options say; returns what changed. Dates are now (after the
    link was made) unless given."""
    target = params["release"]
    release = os.path.realpath(target)
    link = params["link"]
    if os.path.lexists(link) and not os.path.islink(link):
        raise ValueError(f"{link} is not a link: the app's live release must be a link to a release directory")
    # Under --check a new release was not unpacked: what would be switched to is not there yet.
    if not os.path.isdir(release) and not check:
        raise ValueError(f"{target} is not a directory: no release to make live")
    result = {"marked": False, "switched": False, "before": live_target(link), "pruned": []}

    if params["marker"] is not None:
        path = os.path.join(release, ".complete")
        content = params["marker"].encode()
        if check:
            try:
                with open(path, "rb") as handle:
                    result["marked"] = handle.read() != content
            except OSError:
                result["marked"] = True
        else:
            result["marked"] = write_file(path, content, gid, 0o644)

    if result["before"] == release:
        return result
    result["switched"] = True
    keep = {release, result["before"]}
    result["pruned"] = [path for path in params["prune"] if os.path.realpath(path) not in keep and os.path.isdir(path)]
    if check:
        return result

    point_link(link, target, gid)
    if result["before"] and params["previous"]:
        point_link(params["previous"], result["before"])
    # Dated after the link was made: the probe owes a reload when the link is newer than
    # the reload file (a run cut before its handler).
    stamp = time.time() if now is None else now
    os.chmod(release, 0o755)
    os.utime(release, (stamp, stamp))
    for path in params["touch"]:
        if not os.path.exists(path):
            write_file(path, b"", gid, 0o644)
        os.utime(path, (stamp, stamp))
    for path in result["pruned"]:
        shutil.rmtree(path)
    return result


def make_live(params: dict, check_mode: bool = False) -> dict:
    """app_switch's work: switch (above) with the group's id, its errors as the task's failure."""
    try:
        gid = grp.getgrnam(params["group"]).gr_gid
    except KeyError:
        if not check_mode:
            return {"failed": True, "msg": f"group {params['group']} does not exist"}
        gid = -1
    try:
        result = switch(params, gid, check_mode)
    except (OSError, ValueError) as error:
        return {"failed": True, "msg": f"the release was not made live: {error}"}
    return {"changed": result["marked"] or result["switched"], **result}
