# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The module way of the host work (module_utils/*_host.py): where Ansible would not pipeline
a module, the actions (plugin_utils/host_work.py) run the module, which runs the same work
behind AnsibleModule."""

from __future__ import annotations

from ansible.module_utils.basic import AnsibleModule


def run(spec: dict, work, check_mode: bool = True, params=None) -> None:
    """Parse the arguments by spec, then exit with work(params, check_mode)'s answer (a
    failure when it says `failed`). check_mode: whether the work supports it (else Ansible
    skips the task under --check). params(module): what the work receives, when more than
    the parsed arguments (as the action's work_params adds it)."""
    module = AnsibleModule(argument_spec=spec, supports_check_mode=check_mode)
    answer = work(params(module) if params else module.params, module.check_mode)
    if answer.get("failed"):
        module.fail_json(**answer)
    module.exit_json(**answer)
