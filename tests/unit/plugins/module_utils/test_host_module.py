"""The module way of the host work: the same work behind AnsibleModule."""

from __future__ import annotations

import grp
import json
import os
import pwd

import pytest
from ansible.module_utils.testing import patch_module_args

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_module
from ansible_collections.pywebstack.webstack.plugins.modules import write_file

SPEC = {"name": {"type": "str", "required": True}}


def answer(capsys, run) -> dict:
    with pytest.raises(SystemExit):
        run()
    return json.loads(capsys.readouterr().out)


def test_the_work_gets_the_parsed_arguments_and_its_answer_is_the_result(capsys):
    with patch_module_args({"name": "demo", "_ansible_check_mode": True}):
        result = answer(capsys, lambda: host_module.run(SPEC, lambda params, check: {"changed": check, "got": params}))
    assert result["changed"] is True and result["got"] == {"name": "demo"}


def test_params_adds_what_the_module_knows_and_a_failure_fails_the_task(capsys):
    with patch_module_args({"name": "demo", "_ansible_diff": True}):
        result = answer(capsys, lambda: host_module.run(
            SPEC, lambda params, check: {"failed": True, "msg": repr(params)},
            params=lambda module: dict(module.params, _diff=module._diff)))
    assert result["failed"] is True and result["msg"] == "{'name': 'demo', '_diff': True}"


def test_write_file_the_module_way_writes_and_returns_the_diff(capsys, tmp_path):
    target = tmp_path / "app.ini"
    args = {"path": str(target), "content": "a = 1\n", "owner": pwd.getpwuid(os.getuid()).pw_name,
            "group": grp.getgrgid(os.getgid()).gr_name, "mode": "0640", "_ansible_diff": True}
    with patch_module_args(args):
        result = answer(capsys, write_file.main)
    assert result["changed"] is True and target.read_text() == "a = 1\n"
    assert result["diff"]["after"] == "a = 1\n"
