"""Import a WSGI callable the way uWSGI will, and say why when it cannot.

Usage: wsgi_check.py MODULE:ATTRIBUTE ENV_FILE   (run from the app's directory
with the app's virtualenv Python, as the app's user). Reads the environment
file itself so secrets never pass through Ansible's arguments or logs.
"""

import importlib
import os
import sys


def main() -> int:
    target, env_file = sys.argv[1], sys.argv[2]
    with open(env_file, encoding="utf-8") as handle:
        for line in handle:
            line = line.strip()
            if line and not line.startswith("#") and "=" in line:
                key, _, value = line.partition("=")
                os.environ[key] = value
    module_name, _, attribute = target.partition(":")
    sys.path.insert(0, os.getcwd())
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is the answer
        print(f"cannot import module '{module_name}': {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    app = getattr(module, attribute, None)
    if app is None:
        print(f"module '{module_name}' has no attribute '{attribute}'", file=sys.stderr)
        return 1
    if not callable(app):
        print(f"'{target}' is not callable, so it is not a WSGI app", file=sys.stderr)
        return 1
    print(f"{target} loads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
