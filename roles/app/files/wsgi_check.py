"""Load a WSGI app the way uWSGI will, and say why when it cannot.

Usage: python -c "$(cat wsgi_check.py)" MODULE:ATTRIBUTE|MODULE:FACTORY() ENV_FILE
Run from the release's directory with the release's virtualenv Python, as the app's
user. Like uWSGI's `module =`: the current directory comes first on sys.path, the
attribute is looked up in the module's namespace, and `name()` is a factory called
with no arguments whose result is served. The environment file is read here, so
secrets never pass through Ansible's arguments or logs.
"""

import importlib
import os
import sys
import traceback


def main() -> int:
    target, env_file = sys.argv[1], sys.argv[2]
    with open(env_file, encoding="utf-8") as handle:
        for line in handle:
            line = line.rstrip("\n")
            if line and not line.startswith("#") and "=" in line:
                key, _sep, value = line.partition("=")
                os.environ[key] = value
    module_name, _sep, attribute = target.partition(":")
    factory = attribute.endswith("()")
    name = attribute[:-2] if factory else attribute
    sys.path.insert(0, ".")
    try:
        module = importlib.import_module(module_name)
    except Exception as exc:  # noqa: BLE001 - any import failure is the answer
        print(f"cannot import module '{module_name}': {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    app = vars(module).get(name)
    if app is None:
        print(f"module '{module_name}' has no attribute '{name}'", file=sys.stderr)
        return 1
    if factory:
        try:
            app = app()
        except Exception as exc:  # noqa: BLE001 - the factory's own error is the answer
            where = traceback.extract_tb(exc.__traceback__)[-1]
            print(
                f"factory '{target}' failed: {type(exc).__name__}: {exc} ({where.filename}:{where.lineno})",
                file=sys.stderr,
            )
            return 1
    if not callable(app):
        print(f"'{target}' gives {type(app).__name__}, which is not callable, so it is not a WSGI app", file=sys.stderr)
        return 1
    print(f"{target} loads")
    return 0


if __name__ == "__main__":
    sys.exit(main())
