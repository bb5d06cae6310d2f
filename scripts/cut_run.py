#!/usr/bin/env python3
"""Run a command (an ansible-playbook run) and kill it with SIGKILL, as a lost SSH
connection or a CI timeout would, right after a given task finished.

Usage: cut_run.py --after TASK_NAME_REGEX [--timeout S] -- COMMAND...

Reads the command's output as Ansible prints it: once a `TASK [...]` header matching
TASK_NAME_REGEX has been seen and that task has reported `changed`, the next line that
starts another task (or its handlers) is the cut: the whole process group gets SIGKILL
there, so nothing after the task runs, handlers included. Prints the output it read.
Exits 0 when the cut happened; 1 when the command ended first or the task never
changed anything (then there was nothing to cut), 2 on a time-out.
"""

import argparse
import os
import re
import signal
import subprocess
import sys
import time


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--after", required=True, help="regex of the task's name")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    after = re.compile(args.after)

    # Plain lines, written as they come (no colour codes, no buffering).
    env = dict(os.environ, PYTHONUNBUFFERED="1", ANSIBLE_FORCE_COLOR="0", ANSIBLE_NOCOLOR="1")
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env=env, start_new_session=True)
    deadline = time.monotonic() + args.timeout
    in_task = changed = False
    for raw in proc.stdout:
        sys.stdout.write(raw)
        line = re.sub(r"\x1b\[[0-9;]*m", "", raw)
        if time.monotonic() > deadline:
            os.killpg(proc.pid, signal.SIGKILL)
            print("cut_run: timed out before the cut", flush=True)
            return 2
        starts = line.startswith(("TASK [", "RUNNING HANDLER [", "PLAY RECAP"))
        if starts and changed:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
            print(f"cut_run: killed with SIGKILL right after the task matching {args.after!r} changed", flush=True)
            return 0
        if starts:
            in_task = line.startswith("TASK [") and bool(after.search(line))
        elif in_task and line.startswith("changed: "):
            changed = True
    proc.wait()
    print(f"cut_run: the command ended (exit {proc.returncode}) before a change by {args.after!r}", flush=True)
    return 1


if __name__ == "__main__":
    sys.exit(main())
