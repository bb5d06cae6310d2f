#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The documentation of the action plugin pywebstack.webstack.app_check (plugins/action/app_check.py),
which runs on the controller; there is nothing here to run on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_check
short_description: Check the app role's settings, naming every refused key
version_added: 1.7.0
description:
  - The P(pywebstack.webstack.app#role) role's checks of its settings, beyond their types
    (the role's argument specs check those) - a WSGI callable C(module:attribute) or
    C(module:factory()), lower-case names, an account and a root of the app's own, an
    existing account only when the role made it for this app, environment names and
    one-line values (values are never printed), paths inside the app's tree, a release
    source that exists on the controller, and commands that can run.
  - Every check runs, so a failure names every refused key at once.
  - Runs on the controller, in the task's own process; for an app to deploy it reads the
    host's account of C(app_user) with one C(getent passwd) over the connection (no module).
    It never changes a host.
options:
  settings:
    description:
      - The role's values by name (C(app_name), C(app_root) and so on), and C(app_shared_file_paths), the
        paths of C(app_shared_files) (their content is not needed); every name the checks read is required.
    type: dict
    required: true
  user_comment:
    description: The comment of an account the role made for this app.
    type: str
    required: true
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - pywebstack.webstack.action
attributes:
  check_mode:
    support: full
    details: It reads only its arguments, the controller's release source and the host's account.
"""

EXAMPLES = r"""
- name: Check the app's settings
  pywebstack.webstack.app_check:
    settings:
      app_name: "{{ app_name }}"
      app_root: "{{ app_root }}"
      # ... every name the checks read
    user_comment: "{{ app_name }} WSGI app"
"""

RETURN = r"""
refused:
  description: The message of each check that failed, naming the keys and values it refused.
  returned: failure
  type: list
  elements: str
"""
