"""Fail when a role's meta/argument_specs.yml and defaults/main.yml disagree.

Every variable in defaults must be in the spec with the same default, and every
spec option must have a default in defaults (none of our options is required).
Every entry point called with `tasks_from` (playbooks/, roles/, molecule/, site.yml) must
have a spec, or ansible-core checks nothing it is given; and each option of an entry
other than `main` must be one of `main`'s or a caller's parameter ("Parameter: ...").
"""

import pathlib
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
INCLUDES = {f"{ns}{verb}_role" for ns in ("", "ansible.builtin.") for verb in ("include", "import")}


def entry_points(node):
    """(role, tasks_from) of every include_role/import_role in a parsed YAML file."""
    if isinstance(node, list):
        for item in node:
            yield from entry_points(item)
    elif isinstance(node, dict):
        for key, value in node.items():
            if key in INCLUDES and isinstance(value, dict) and "tasks_from" in value:
                yield value.get("name"), str(value["tasks_from"]).removesuffix(".yml").removesuffix(".yaml")
            yield from entry_points(value)


def unspecified_entry_points() -> list:
    """A problem for each tasks_from entry point whose role's argument_specs has no entry for it."""
    problems = set()
    for path in [ROOT / "site.yml"] + [f for d in ("playbooks", "roles", "molecule") for f in (ROOT / d).rglob("*.y*ml")]:
        try:
            used = set(entry_points(yaml.safe_load(path.read_text())))
        except yaml.YAMLError:  # not plain YAML (a vault file)
            continue
        for role, entry in used:
            spec_file = ROOT / "roles" / str(role) / "meta/argument_specs.yml"
            if spec_file.exists() and entry not in yaml.safe_load(spec_file.read_text())["argument_specs"]:
                problems.add(f"{role}: entry point {entry} (tasks_from in {path.relative_to(ROOT)}) has no argument_specs entry")
    return sorted(problems)


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
        for entry, entry_spec in spec["argument_specs"].items():
            for name, option in (entry_spec.get("options") or {}).items():
                description = option.get("description", "")
                first = str(description[0] if isinstance(description, list) and description else description)
                if entry != "main" and name not in options and not first.startswith("Parameter:"):
                    problems.append(f"{role.name}: {entry}'s option {name} is neither an option of main nor a 'Parameter:'")
    problems += unspecified_entry_points()
    for line in problems:
        print(line)
    print(f"{len(problems)} mismatches")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
