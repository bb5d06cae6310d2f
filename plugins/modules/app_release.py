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
  - pywebstack.webstack.host_work
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

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.release_host import SPEC, write


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly,
    # the archive's bytes sent with the arguments; this module is its way where Ansible
    # would not pipeline (plugin_utils/host_work.py), with the archive copied first.
    host_module.run(SPEC, write, check_mode=False)


if __name__ == "__main__":
    main()
