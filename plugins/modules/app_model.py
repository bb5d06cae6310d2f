#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The documentation of the action plugin pywebstack.webstack.app_model (plugins/action/app_model.py),
which runs on the controller; there is nothing here to run on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: app_model
short_description: Turn a host's C(apps) into each app's role variables, checked as a whole
version_added: 1.1.0
description:
  - Checks every entry of O(apps) against the app and uwsgi roles' own argument specs
    (an entry holds the app role's options without their C(app_) prefix, a C(uwsgi) dict of
    the uwsgi role's per-app options and a C(site) dict).
  - Resolves, for each app, the role variables the entries use (the entry's value, else the
    host's top-level variable, else the role's default templated for this app), and the
    record the other tiers need (user, group, socket, Nginx site).
  - Refuses what only the whole list tells (two apps with one name, socket or server name)
    and static aliases outside an app's own tree.
  - With no O(apps), the one app the host's top-level C(app_*) and C(uwsgi_*) variables describe.
  - Runs on the controller; reads the roles' defaults and argument specs from this collection.
options:
  apps:
    description: The host's C(apps) entries; omitted for a host of one app.
    type: list
    elements: dict
  static_roots_allowed:
    description: Directories outside their own trees that the apps' static aliases may serve.
    type: list
    elements: str
    default: []
author:
  - pywebstack maintainers (@pywebstack)
"""

EXAMPLES = r"""
- name: Check and resolve the host's apps
  pywebstack.webstack.app_model:
    apps: "{{ apps | default(omit) }}"
    static_roots_allowed: "{{ apps_static_roots_allowed | default([]) }}"
  register: __model
"""

RETURN = r"""
apps:
  description: One record per app, in the order of O(apps).
  returned: success
  type: list
  elements: dict
  contains:
    name:
      description: The app's name.
      type: str
    state:
      description: present or absent.
      type: str
    user:
      description: The app's user.
      type: str
    group:
      description: The app's group.
      type: str
    socket:
      description: The app's uWSGI socket.
      type: str
    site:
      description: The app's Nginx site, as an entry of nginx_sites.
      type: dict
    vars:
      description: The role variables to bind for this app (app_* and uwsgi_*).
      type: dict
    secret:
      description: The names in RV(apps[].vars) whose values are secrets (never printed).
      type: list
      elements: str
"""
