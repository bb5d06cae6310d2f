"""Fail when a role's README variables tables and meta/argument_specs.yml disagree.

Every role-prefixed variable named in the first column of a README table row
(`| `nginx_user` | ... |`) must be an option of the `main` entry point, and every option
of `main` must be named in such a row.
"""

import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent


def readme_variables(role: pathlib.Path) -> set:
    names = set()
    for line in (role / "README.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("|"):
            first_column = line.split("|")[1]
            names.update(re.findall(rf"`({role.name}_[a-z0-9_]+)`", first_column))
    return names


def main() -> int:
    problems = []
    for role in sorted((ROOT / "roles").iterdir()):
        spec = yaml.safe_load((role / "meta/argument_specs.yml").read_text())
        options = set(spec["argument_specs"]["main"]["options"])
        documented = readme_variables(role)
        for name in sorted(documented - options):
            problems.append(f"{role.name}: {name} is in README.md but not in argument_specs")
        for name in sorted(options - documented):
            problems.append(f"{role.name}: {name} is in argument_specs but not in README.md")
    for line in problems:
        print(line)
    print(f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
