# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the app_release module: unpack a release, link its shared data, build its
virtualenv and load its callable (standard library only: its action runs it with the host's
Python directly, plugin_utils/host_work.py, and sends the archive's bytes with the arguments)."""

from __future__ import annotations

import base64
import grp
import os
import pwd
import shutil
import subprocess
import time

SPEC = {
    "archive": {"type": "path", "required": True},
    "release": {"type": "path", "required": True},
    "live": {"type": "path", "default": ""},
    "group": {"type": "str", "required": True},
    "links": {"type": "list", "elements": "dict", "default": [],
              "options": {"path": {"type": "str", "required": True}, "target": {"type": "path", "required": True}}},
    "venv": {"type": "path", "required": True},
    "installer": {"type": "str", "choices": ["uv", "pip"], "default": "uv"},
    "uv": {"type": "path", "default": "/usr/local/bin/pywebstack-uv"},
    "requirements": {"type": "str", "default": ""},
    "hashes": {"type": "bool", "default": False},
    "project": {"type": "bool", "default": False},
    "reload_file": {"type": "path", "required": True},
    "load": {"type": "dict", "options": {"user": {"type": "str", "required": True},
                                         "source": {"type": "str", "required": True},
                                         "args": {"type": "list", "elements": "str", "default": []}}},
}


class Commands:
    """What write_release and load ask of AnsibleModule, run_command, with the standard library."""

    @staticmethod
    def run_command(argv, cwd=None, data=None):
        """(rc, stdout, stderr) of argv run in cwd, with data (bytes) on its stdin."""
        done = subprocess.run(argv, cwd=cwd, input=data, capture_output=True, check=False)
        return done.returncode, done.stdout.decode("utf-8", "replace"), done.stderr.decode("utf-8", "replace")


class StepFailed(Exception):
    """A step's command or file operation failed: which, and what it said."""

    def __init__(self, step: str, msg: str, **result):
        super().__init__(msg)
        self.step = step
        self.result = result


def chown_tree(top: str, gid: int) -> None:
    """Make every file under top root's and the group's (links themselves, not their targets)."""
    os.lchown(top, 0, gid)
    for directory, dirs, files in os.walk(top):
        for name in dirs + files:
            os.lchown(os.path.join(directory, name), 0, gid)


def make_parents(top: str, directory: str, gid: int) -> None:
    """Make each missing directory from top down to directory (mode 0755, root's and the group's)."""
    missing = []
    while directory != top and not os.path.isdir(directory):
        missing.append(directory)
        directory = os.path.dirname(directory)
    for path in reversed(missing):
        os.mkdir(path, 0o755)
        os.chmod(path, 0o755)
        os.lchown(path, 0, gid)


def commands(params: dict, release: str) -> list:
    """The (step, argv) pairs that build the release's virtualenv and install into it."""
    venv, python = params["venv"], os.path.join(params["venv"], "bin", "python")
    uv = params["installer"] == "uv"
    found = [("virtualenv", [params["uv"], "venv", "--quiet", "--python", "python3", venv] if uv
              else ["python3", "-m", "venv", venv])]
    if params["requirements"]:
        requirements = os.path.join(release, params["requirements"])
        found.append(("requirements", [params["uv"], "pip", "install", "--python", python, "--compile-bytecode",
                                       "--requirements", requirements] + (["--require-hashes"] if params["hashes"] else [])
                      if uv else [os.path.join(venv, "bin", "pip"), "install", "--requirement", requirements]))
    if params["project"]:
        no_deps = ["--no-deps"] if params["requirements"] else []
        found.append(("project", [params["uv"], "pip", "install", "--python", python, "--compile-bytecode"] + no_deps + [release]
                      if uv else [os.path.join(venv, "bin", "pip"), "install"] + no_deps + [release]))
    return found


def write_release(module, params: dict, gid: int) -> list:
    """Every step in order; raises StepFailed at the first that fails. module: what runs
    commands (Commands, or anything with its run_command)."""
    release = params["release"]
    steps = []

    def step(name, action):
        start = time.monotonic()
        try:
            action()
        except OSError as error:
            raise StepFailed(name, f"{name}: {error}") from error
        steps.append([name, round(time.monotonic() - start, 3)])

    def run(name, argv, data=None):
        def action():
            rc, out, err = module.run_command(argv, cwd=release, data=data)
            if rc != 0:
                raise StepFailed(name, f"{name} failed (rc {rc}): {' '.join(argv)}", cmd=argv, rc=rc, stdout=out, stderr=err)
        step(name, action)

    def clear():
        if os.path.lexists(release) and os.path.realpath(release) != params["live"]:
            shutil.rmtree(release)
        os.makedirs(release, mode=0o755, exist_ok=True)
        os.chmod(release, 0o755)

    step("directory", clear)
    # Files dated now, not the archive's 1970 (reproducible) date: wheels refuse dates
    # before 1980, and Nginx's ETag (mtime and size) must change with each release.
    # The archive is a file on the host (the module's way) or its bytes (the action's way).
    content = base64.b64decode(params["archive_content"]) if params.get("archive_content") else None
    run("unpack", ["tar", "--extract", "--gzip", "--file", "-" if content is not None else params["archive"],
                   "--directory", release, "--touch", "--no-same-owner"], content)
    step("ownership", lambda: chown_tree(release, gid))

    def link():
        for entry in params["links"]:
            path = os.path.join(release, entry["path"])
            if os.path.isdir(path) and not os.path.islink(path):
                shutil.rmtree(path)
            elif os.path.lexists(path):
                os.unlink(path)
            make_parents(release, os.path.dirname(path), gid)
            os.symlink(entry["target"], path)
            os.lchown(path, 0, gid)

    step("links", link)
    for name, argv in commands(params, release):
        run(name, argv)

    def reload_file():
        path = params["reload_file"]
        if not os.path.exists(path):
            with open(path, "ab"):
                pass
        st = os.stat(path)
        if (st.st_uid, st.st_gid) != (0, gid):
            os.chown(path, 0, gid)
        if st.st_mode & 0o7777 != 0o644:
            os.chmod(path, 0o644)

    step("reload file", reload_file)
    return steps


def load(module, params: dict) -> dict:
    """Load the release's callable as the app's user; the checker's answer, never a failure."""
    user = params["load"]["user"]
    try:
        home = pwd.getpwnam(user).pw_dir
    except KeyError:
        return {"rc": 1, "stdout": "", "stderr": f"user {user} does not exist", "stderr_lines": [f"user {user} does not exist"]}
    python = os.path.join(params["venv"], "bin", "python")
    argv = ["runuser", "-u", user, "--", "env", "-i", f"HOME={home}", f"USER={user}", f"LOGNAME={user}",
            "PATH=/usr/local/bin:/usr/bin:/bin", "LANG=C.UTF-8", python, "-c", params["load"]["source"]]
    rc, out, err = module.run_command(argv + params["load"]["args"], cwd=params["release"])
    return {"rc": rc, "stdout": out, "stderr": err, "stderr_lines": err.splitlines()}


def write(params: dict, check_mode: bool = False) -> dict:
    """app_release's work: the release written and its callable loaded, or the step that
    failed as the task's failure. params may carry `archive_content`, the archive's bytes in
    base64, which the action adds (not an option of the module)."""
    del check_mode  # the module does not run under --check
    try:
        gid = grp.getgrnam(params["group"]).gr_gid
    except KeyError:
        return {"failed": True, "msg": f"group {params['group']} does not exist"}
    try:
        steps = write_release(Commands(), params, gid)
    except StepFailed as failed:
        return {"failed": True, "msg": str(failed), "step": failed.step, **failed.result}
    result = {"changed": True, "steps": steps, "release": params["release"]}
    if params["load"]:
        start = time.monotonic()
        result["load"] = load(Commands(), params)
        steps.append(["load", round(time.monotonic() - start, 3)])
    return result
