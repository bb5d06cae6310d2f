"""Managed by Ansible (role uwsgi). Each uWSGI worker imports this before its app.

The instance's ini names it (`pyimport`) with `lazy-apps`: every worker loads the app
itself, after this has put the lines of the file PYWEBSTACK_ENV_FILE names (KEY=value,
as the app role writes it) into its environment. So a worker started by a chain reload
sees the file as it is now: a changed value is new and a removed key is gone, since the
master, which every worker is forked from, never read the file. Lines that are empty or
start with # are skipped; a value is taken as it is written, up to the end of its line.
"""

import os


def load(path: str) -> dict:
    """The KEY=value lines of the file, in order."""
    values = {}
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line or line.startswith("#") or "=" not in line:
                continue
            key, _sep, value = line.partition("=")
            values[key] = value
    return values


if os.environ.get("PYWEBSTACK_ENV_FILE"):
    os.environ.update(load(os.environ["PYWEBSTACK_ENV_FILE"]))
