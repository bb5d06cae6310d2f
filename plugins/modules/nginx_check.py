#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""The documentation of the action plugin pywebstack.webstack.nginx_check (plugins/action/nginx_check.py),
which runs on the controller; there is nothing here to run on a host."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: nginx_check
short_description: Check the nginx role's settings on the controller before anything changes
version_added: 1.7.0
description:
  - Refuses what the nginx role's argument spec lets through but Nginx, or a browser, would not
    take. For each present site in O(sites), its name, server names, C(uwsgi_pass), listen
    values, static locations and aliases (which must agree on the trailing slash), unlimited
    paths, TLS file paths, TLS source and security headers; each of O(upstreams); and the
    settings as a whole (server names and site and upstream names claimed twice, host-wide
    values that would end a directive, the rate limit's zone, a default server beside the
    catch-all, OCSP stapling without resolvers).
  - Reads each given certificate and key (C(tls.source=content)) with the C(cryptography)
    package, and refuses a key that is not the certificate's and a certificate that is not
    valid now or for O(tls_min_days_left) days more. A key, or anything read from it, is never
    printed.
  - Names every refusal at once, in one message; prints nothing when there is none.
  - Runs on the controller, in the task's own process; it never connects to the host.
options:
  sites:
    description:
      - Every site, present and absent, with its optional keys filled in (the role's C(__nginx_sites)), so
        each has C(name), C(server_name), C(listen), C(default_server), C(uwsgi_pass), C(static), C(unlimited),
        C(tls), C(security_headers) and C(state).
    type: list
    elements: dict
    required: true
  upstreams:
    description: The C(nginx_upstreams) entries (C(name), C(servers)).
    type: list
    elements: dict
    default: []
  host_values:
    description:
      - The host-wide values nginx.conf and the sites are written from, as they are; the values of
        O(limit_req_zones) are checked with them.
    type: list
    elements: raw
    required: true
  log_format_main:
    description: The main log format's quoted strings (C(nginx_log_format_main)).
    type: str
    required: true
  limit_req:
    description: C(nginx_limit_req); its C(zone) must be one of O(limit_req_zones).
    type: dict
    required: true
  limit_req_zones:
    description: C(nginx_limit_req_zones).
    type: list
    elements: dict
    required: true
  catch_all:
    description: C(nginx_catch_all); when on, no present site may be C(default_server).
    type: bool
    required: true
  resolvers:
    description: C(nginx_resolvers); required when a site staples OCSP answers.
    type: list
    elements: str
    default: []
  tls_min_days_left:
    description: How many more days a given certificate must be valid (C(nginx_tls_min_days_left)).
    type: int
    required: true
notes:
  - A site staples OCSP answers when it is given a certificate with a chain and the certificate
    names an OCSP responder, or when it is given a C(chain_path); the role's site template
    reads the answer, RV(stapling), so the rule is written once.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - ansible.builtin.action_common_attributes.flow
  - pywebstack.webstack.action
attributes:
  check_mode:
    support: full
    details: It only reads its arguments, so a dry run checks as a real run does.
"""

EXAMPLES = r"""
- name: Check the Nginx settings
  pywebstack.webstack.nginx_check:
    sites: "{{ __nginx_sites }}"
    upstreams: "{{ nginx_upstreams }}"
    host_values: "{{ [nginx_user, nginx_client_max_body_size] + nginx_resolvers + nginx_ssl_protocols }}"
    log_format_main: "{{ nginx_log_format_main }}"
    limit_req: "{{ nginx_limit_req }}"
    limit_req_zones: "{{ nginx_limit_req_zones }}"
    catch_all: "{{ nginx_catch_all }}"
    resolvers: "{{ nginx_resolvers }}"
    tls_min_days_left: "{{ nginx_tls_min_days_left }}"
"""

RETURN = r"""
refused:
  description:
    - The message of each refusal, in order - each present site's failed checks (one message a site), each
      refused upstream, then the settings as a whole; C(msg) joins them with a space.
  returned: failure
  type: list
  elements: str
stapling:
  description:
    - The present sites that staple OCSP answers, in O(sites)' order - given a certificate with a chain whose
      certificate names an OCSP responder (read only when the site's own checks passed), or given a C(chain_path).
    - The role's site template turns C(ssl_stapling) on for these sites (it reads the registered result).
  returned: always
  type: list
  elements: str
  sample: [demo]
  version_added: 1.8.0
"""
