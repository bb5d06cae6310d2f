#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The documentation of the action plugin pywebstack.webstack.uwsgi_check (plugins/action/uwsgi_check.py),
which runs on the controller; there is nothing here to run on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: uwsgi_check
short_description: Check the uwsgi role's settings, naming every refused key
version_added: 1.7.0
description:
  - The P(pywebstack.webstack.uwsgi#role) role's checks of its settings, beyond their types
    (the role's argument specs check those) - workers, timeouts and buffer size in range, a
    socket on one address, a stats server on loopback, a log file under C(/var/log),
    harakiri below the proxy's timeout, a listen queue the kernel allows, no value that
    could add a line or a uWSGI magic to the ini or a directive to the unit, no extra option
    that changes identity or runs code, service options that only tune resources and
    timeouts, an account of the app's own, and a health check request that is one clean
    request.
  - Every check runs, so a failure names every refused key at once.
  - Runs on the controller, in the task's own process; it never changes a host.
options:
  settings:
    description:
      - The role's values by name (C(uwsgi_processes), C(uwsgi_socket) and so on); every name the checks
        read is required.
    type: dict
    required: true
  somaxconn:
    description: The host's C(net.core.somaxconn), needed when C(uwsgi_manage_somaxconn) is off.
    type: int
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - pywebstack.webstack.action
attributes:
  check_mode:
    support: full
    details: It reads only its arguments.
"""

EXAMPLES = r"""
- name: Check the uWSGI settings
  pywebstack.webstack.uwsgi_check:
    settings:
      uwsgi_processes: "{{ uwsgi_processes }}"
      uwsgi_socket: "{{ uwsgi_socket }}"
      # ... every name the checks read
"""

RETURN = r"""
refused:
  description: The message of each check that failed, naming the keys and values it refused.
  returned: failure
  type: list
  elements: str
"""
