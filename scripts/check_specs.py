"""Fail when a role's meta/argument_specs.yml and defaults/main.yml disagree.

Every variable in defaults must be in the spec with the same default, and every
spec option must have a default in defaults (none of our options is required).
"""

import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def main() -> int:
    problems = []
    for role in sorted((ROOT / "roles").iterdir()):
        defaults = yaml.safe_load((role / "defaults/main.yml").read_text()) or {}
        spec = yaml.safe_load((role / "meta/argument_specs.yml").read_text())
        options = spec["argument_specs"]["main"]["options"]
        for name in sorted(set(defaults) | set(options)):
            if name not in options:
                problems.append(f"{role.name}: {name} is in defaults but not in argument_specs")
            elif name not in defaults:
                problems.append(f"{role.name}: {name} is in argument_specs but not in defaults")
            elif options[name].get("default") != defaults[name]:
                problems.append(
                    f"{role.name}: {name} defaults to {defaults[name]!r} but argument_specs says {options[name].get('default')!r}"
                )
            elif not name.startswith(f"{role.name}_"):
                problems.append(f"{role.name}: {name} is not prefixed with '{role.name}_'")
    for line in problems:
        print(line)
    print(f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
