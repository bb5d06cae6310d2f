#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The app role's release writer: unpack, link and install a new release, in one round trip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_release
short_description: Write a new release of an app - unpack it, link its shared data, build its virtualenv
version_added: 1.5.0
description:
  - What the P(pywebstack.webstack.app#role) role does for a release new on the host, in one round trip instead of
    about ten tasks - remove what a run cut short left of it (never the live release), unpack the controller's archive
    into the release's own directory (files dated now, root's and the app group's), replace what the release ships at
    its shared paths with links to the shared data, create the release's own virtualenv and install its requirements
    and project with uv or pip, and ensure the app's reload file exists.
  - The action plugin copies O(archive) from the controller to the host first.
  - It stops at the first step that fails and says which, with the command's output; it does not remove what it
    wrote (the role's rescue does, never the live release).
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - pywebstack.webstack.action
attributes:
  check_mode:
    support: none
    details: A dry run cannot build a release; the role says what a real run would do instead.
  platform:
    platforms: debian
options:
  archive:
    description: The release's archive (a C(.tar.gz)) on the controller.
    type: path
    required: true
  release:
    description: The release's directory on the host, made anew (mode C(0755), root's and O(group)'s).
    type: path
    required: true
  live:
    description: The live release (resolved); a directory at O(release) is removed first unless it is this one.
    type: path
    default: ""
  group:
    description: The app's group; the release's files, its links and the reload file are root's and this group's.
    type: str
    required: true
  links:
    description:
      - The release's shared paths, each linked to the shared data; what the release ships there is removed first.
    type: list
    elements: dict
    default: []
    suboptions:
      path:
        description: The path inside the release.
        type: str
        required: true
      target:
        description: What the link points to.
        type: path
        required: true
  venv:
    description: The release's own virtualenv.
    type: path
    required: true
  installer:
    description: C(uv) (O(uv) makes the virtualenv and installs) or C(pip) (Python's venv and the virtualenv's pip).
    type: str
    choices: [uv, pip]
    default: uv
  uv:
    description: The uv command (the host's wrapper, with its index, CA bundle and cache).
    type: path
    default: /usr/local/bin/pywebstack-uv
  requirements:
    description: The release's requirements file, relative to its directory; empty installs none.
    type: str
    default: ""
  hashes:
    description: Whether the requirements carry hashes (then uv is told to require them; pip does by itself).
    type: bool
    default: false
  project:
    description: Install the release itself as a project (its pyproject.toml or setup.py).
    type: bool
    default: false
  reload_file:
    description: The app's reload file; made empty when missing (root's, O(group)'s, mode C(0644)), its date kept.
    type: path
    required: true
  load:
    description:
      - When given, the release's WSGI callable is loaded last, in the same round trip, as O(load.user) (C(runuser),
        a clean environment with the user's home), from the release's directory with the virtualenv's Python.
      - Its answer is returned in RV(load), not as a failure, so the role can refuse the release with its own message
        and keep what was written (the release is not marked complete, so the next run writes it anew).
    type: dict
    version_added: 1.6.0
    suboptions:
      user:
        description: The app's user.
        type: str
        required: true
      source:
        description: The checker's Python source, run with C(python -c) (nothing is copied for the user to read).
        type: str
        required: true
      args:
        description: The checker's arguments (the callable, the environment file).
        type: list
        elements: str
        default: []
"""

EXAMPLES = r"""
- name: Unpack, link and install the new release
  pywebstack.webstack.app_release:
    archive: /home/ops/.cache/pywebstack/build/6f1d0c2a9b3e.tar.gz
    release: /srv/shop/releases/6f1d0c2a9b3e
    live: /srv/shop/releases/0a1b2c3d4e5f
    group: shop
    links:
      - {path: media, target: /srv/shop/shared/media}
    venv: /srv/shop/releases/6f1d0c2a9b3e/.venv
    requirements: requirements.txt
    hashes: true
    reload_file: /srv/shop/reload
"""

RETURN = r"""
steps:
  description: Each step done, with how long it took in seconds.
  returned: success
  type: list
  elements: list
  sample: [["unpack", 0.08], ["virtualenv", 0.05], ["requirements", 0.31]]
step:
  description: The step that failed.
  returned: failure
  type: str
  sample: requirements
release:
  description: The release's directory (O(release)).
  returned: success
  type: str
load:
  description: What loading the callable said (with O(load)).
  returned: success and O(load) given
  type: dict
  contains:
    rc:
      description: The checker's exit status; 0 when the callable loaded.
      type: int
    stdout:
      description: What it printed.
      type: str
    stderr:
      description: Why it could not load the callable.
      type: str
    stderr_lines:
      description: O(load)'s RV(load.stderr), line by line.
      type: list
      elements: str
"""

import grp
import os
import pwd
import shutil
import time

from ansible.module_utils.basic import AnsibleModule


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
    """Every step in order; raises StepFailed at the first that fails."""
    release = params["release"]
    steps = []

    def step(name, action):
        start = time.monotonic()
        try:
            action()
        except OSError as error:
            raise StepFailed(name, f"{name}: {error}") from error
        steps.append([name, round(time.monotonic() - start, 3)])

    def run(name, argv):
        def action():
            rc, out, err = module.run_command(argv, cwd=release)
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
    run("unpack", ["tar", "--extract", "--gzip", "--file", params["archive"], "--directory", release,
                   "--touch", "--no-same-owner"])
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


def main() -> None:
    module = AnsibleModule(
        argument_spec={
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
        },
        supports_check_mode=False,
    )
    try:
        gid = grp.getgrnam(module.params["group"]).gr_gid
    except KeyError:
        module.fail_json(msg=f"group {module.params['group']} does not exist")
    try:
        steps = write_release(module, module.params, gid)
    except StepFailed as failed:
        module.fail_json(msg=str(failed), step=failed.step, **failed.result)
    result = {"changed": True, "steps": steps, "release": module.params["release"]}
    if module.params["load"]:
        start = time.monotonic()
        result["load"] = load(module, module.params)
        steps.append(["load", round(time.monotonic() - start, 3)])
    module.exit_json(**result)


if __name__ == "__main__":
    main()
