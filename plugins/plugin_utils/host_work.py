# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""What the modules that read or write on the host share (the five probes, app_release,
app_switch, write_file): their work run on the host as one exec of its Python, reading
standard-library code and JSON on stdin, without Ansible's module wrapper.

A module round trip costs more than these modules' work: the controller builds each
module's AnsiballZ payload once a run (its imports resolved recursively, 0.15-0.35 s of CPU
here), and the host unpacks it and imports ansible.module_utils.basic; the whole trip
measured 0.4-0.5 s against 0.07 s for one exec of the host's python3. The work of these
modules needs only the standard library: it lives in module_utils files that import nothing
else (host_state.py and the module's own *_host.py), so the action sends those files'
source, the work's name and the task's arguments (validated here, against the module's own
spec) to `python3 -c BOOT` on stdin, and reads the answer as JSON on stdout. Nothing is
written on the host, and the arguments never appear on a command line.

Where Ansible would run the module another way - pipelining off or impossible for the
connection or become method, a host whose Python is not known yet (interpreter discovery
runs with the module), a task run in the background (async) - the action runs the module as usual:
the same functions, behind AnsibleModule (plugins/modules/*.py).
"""

from __future__ import annotations

import functools
import importlib
import json
import shlex

from ansible import constants as C
from ansible.errors import AnsibleActionFail
from ansible.plugins.action import ActionBase

PACKAGE = 'ansible_collections.pywebstack.webstack.plugins.module_utils'

# What runs on the host: each source made the module of its name (so `from PACKAGE.host_state
# import x` finds it), then the work called with the arguments and check mode; its answer,
# or the error it raised, is the JSON printed.
BOOT = r'''
import json, sys, traceback, types
job = json.load(sys.stdin)
for name, source in job["sources"]:
    module = sys.modules[name] = types.ModuleType(name)
    exec(compile(source, name, "exec"), module.__dict__)
name, function = job["work"]
try:
    answer = getattr(sys.modules[name], function)(job["params"], job["check_mode"])
except Exception as error:
    answer = {"failed": True, "msg": "%s: %s" % (type(error).__name__, error), "exception": traceback.format_exc()}
json.dump(answer, sys.stdout)
'''

# The locale a module's commands run in (as AnsibleModule.run_command sets it).
LOCALE = 'LANG=C.UTF-8 LC_ALL=C.UTF-8 LC_MESSAGES=C.UTF-8'


@functools.lru_cache(maxsize=None)
def source(name: str) -> str:
    """The text of module_utils/NAME.py, read once a process."""
    with open(importlib.import_module(f'{PACKAGE}.{name}').__file__, encoding='utf-8') as handle:
        return handle.read()


def job(sources: tuple, work: tuple, params: dict, check_mode: bool) -> bytes:
    """The JSON BOOT reads (bytes, as every connection takes them): the module_utils files by
    name, in order; the work as (file, function)."""
    return json.dumps({
        'sources': [[f'{PACKAGE}.{name}', source(name)] for name in sources],
        'work': [f'{PACKAGE}.{work[0]}', work[1]],
        'params': params,
        'check_mode': check_mode,
    }).encode('utf-8')


def command(python: str) -> str:
    """The command that runs BOOT with the host's Python."""
    return f'{LOCALE} {shlex.quote(python)} -c {shlex.quote(BOOT)}'


def answer(executed: dict) -> dict:
    """The work's answer from what the command returned; a failure that says what went wrong
    when the command did not print one."""
    try:
        found = json.loads(executed.get('stdout') or '')
    except ValueError:
        found = None
    if executed.get('rc') != 0 or not isinstance(found, dict):
        stderr = (executed.get('stderr') or '').strip()
        raise AnsibleActionFail(f"the host's Python did not answer (rc {executed.get('rc')}): "
                                f"{stderr.splitlines()[-1] if stderr else executed.get('stdout', '')[-500:]}")
    return found


class HostWorkAction(ActionBase):
    """A module whose work runs as one exec of the host's Python (see above)."""

    TRANSFERS_FILES = False
    _supports_check_mode = True
    # In the background (async, poll 0) the module runs, as Ansible's async wrapper needs.
    _supports_async = True
    # The module's argument spec; the module_utils files its work needs, in import order;
    # the work as (file, function): function(params, check_mode) -> the module's result.
    SPEC: dict = {}
    SOURCES: tuple = ('host_state',)
    WORK: tuple = ()

    def python(self, task_vars: dict) -> str:
        """The host's Python as a module would run it (a delegated task's: its host's), ''
        when not known yet or when Ansible would not pipeline the module (then the module runs)."""
        if not self._is_pipelining_enabled('new'):
            return ''
        if self._task.delegate_to:
            task_vars = (task_vars.get('ansible_delegated_vars') or {}).get(self._task.delegate_to) or {}
        # Ansible's own setting: ansible_python_interpreter, else interpreter_python from
        # ansible.cfg or the environment; a path there is used as given, never discovered.
        given = C.config.get_config_value('INTERPRETER_PYTHON', variables=task_vars)
        if given and not str(given).startswith('auto'):
            return str(self._templar.template(given))
        return str((task_vars.get('ansible_facts') or {}).get('discovered_interpreter_python') or '')

    def run_module(self, task_vars: dict) -> dict:
        """The module's way."""
        return self._execute_module(task_vars=task_vars)

    def work_params(self, params: dict) -> dict:
        """What the work receives: the arguments as the spec made them."""
        return params

    def run(self, tmp=None, task_vars=None):
        result = super().run(tmp, task_vars)
        del tmp
        task_vars = task_vars or {}
        if self._task.async_val:
            result.update(self._execute_module(task_vars=task_vars, wrap_async=not self._connection.has_native_async))
            return result
        python = self.python(task_vars)
        if not python:
            result.update(self.run_module(task_vars))
            return result
        _validation, params = self.validate_argument_spec(argument_spec=self.SPEC)
        executed = self._low_level_execute_command(
            command(python), sudoable=True,
            in_data=job(self.SOURCES, self.WORK, self.work_params(params), bool(self._task.check_mode)))
        result.update(answer(executed))
        return result
