#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The documentation of the action plugin pywebstack.webstack.app_build (plugins/action/app_build.py),
which runs on the controller; there is nothing here to run on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_build
short_description: Build an app's release archive on the controller, named by its content
version_added: 1.6.0
description:
  - From O(source_dir), writes a reproducible C(tar.gz) into O(out) (sorted members, mtime 0,
    no C(.git), C(__pycache__) or C(*.pyc)) named by its content, so an unchanged source gives
    the same release id; a built O(archive) is used as it is, named by its sha256.
  - Reads how the release's dependencies install, the way pip reads them (O(requirements)
    with its C(-r) includes, hashes, extras and markers; else the project's
    C(pyproject.toml) or C(setup.py)).
  - Runs on the controller, in the task's own process; it never changes a host.
options:
  source_dir:
    description: The directory to build from (the app's source, or a git checkout).
    type: path
  archive:
    description: A release archive built elsewhere, used as it is.
    type: path
  out:
    description: The controller directory the built archive is written to (with O(source_dir)).
    type: path
  requirements:
    description: The requirements file's path inside the release.
    type: str
    default: requirements.txt
notes:
  - O(source_dir) and O(archive) are mutually exclusive; one is required.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - pywebstack.webstack.action
attributes:
  check_mode:
    support: full
    details: It writes only the controller's cache, so a dry run builds and knows the release id.
"""

EXAMPLES = r"""
- name: Build the release archive on the controller
  pywebstack.webstack.app_build:
    source_dir: "{{ app_source_dir }}"
    out: "{{ app_build_dir }}"
    requirements: requirements.txt
  run_once: true
  register: __app_build
"""

RETURN = r"""
release:
  description: The release.
  returned: success
  type: dict
  contains:
    id:
      description: The release id, the first 12 hex digits of the sha256 of its content.
      type: str
    archive:
      description: The archive's path on the controller.
      type: str
    install:
      description: How its dependencies install, C(requirements), C(project) or C(none).
      type: str
    project:
      description: Whether the release is a project (a C(pyproject.toml) or C(setup.py)).
      type: bool
    hashes:
      description: Whether the requirements carry hashes (pip's hash-checking mode).
      type: bool
    unpinned:
      description: The requirements that pin no single version.
      type: list
      elements: str
"""
