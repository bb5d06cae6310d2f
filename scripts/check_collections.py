"""Fail when a task, module, filter, test or lookup names a collection (by its FQCN) that
requirements.yml does not list (other than ansible.builtin and this repository's own), or when requirements.yml pins a version other than the one
the pinned `ansible` package ships (so installing it never pulls another version).

Reads roles/, playbooks/, molecule/ (not its molecule.yml files: Molecule's settings, whose
keys can be host names like `shop.acme.test`) and site.yml: module names as YAML keys
(`community.crypto.x509_certificate:`), and FQCNs in Jinja (`| community.crypto.x509_certificate_info`,
`is ...`, `lookup('...')`, `query('...')`, `map('...')`, `select('...')`, ...).
"""

import json
import pathlib
import re
import sys

import yaml

ROOT = pathlib.Path(__file__).resolve().parent.parent
FQCN = r"([a-z][a-z0-9_]*)\.([a-z][a-z0-9_]*)\.[a-z][a-z0-9_]*"
PATTERNS = [
    re.compile(r"^\s*(?:-\s+)?" + FQCN + r":", re.MULTILINE),        # a module, as a task's key
    re.compile(r"\|\s*" + FQCN + r"\b"),                               # a filter
    re.compile(r"\bis\s+(?:not\s+)?" + FQCN + r"\b"),                  # a test
    re.compile(r"\(\s*'" + FQCN + r"'"),                               # lookup('..'), map('..'), ...
    re.compile(r"\(\s*\"" + FQCN + r"\""),
]


def own_collection() -> str:
    """This repository's own collection (galaxy.yml): its modules ship with the roles."""
    galaxy = yaml.safe_load((ROOT / "galaxy.yml").read_text())
    return f"{galaxy['namespace']}.{galaxy['name']}"


def used_collections() -> dict:
    found = {}
    own = own_collection()
    files = [ROOT / "site.yml"] + [
        path for top in ("roles", "playbooks", "molecule")
        for path in (ROOT / top).rglob("*")
        if path.suffix in (".yml", ".yaml", ".j2") and path.name != "molecule.yml"
    ]
    for path in files:
        text = path.read_text(encoding="utf-8")
        for pattern in PATTERNS:
            for match in pattern.finditer(text):
                name = f"{match.group(1)}.{match.group(2)}"
                if name not in ("ansible.builtin", own):
                    found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


def installed_version(name: str):
    namespace, collection = name.split(".")
    for site in sys.path:
        manifest = pathlib.Path(site) / "ansible_collections" / namespace / collection / "MANIFEST.json"
        if manifest.is_file():
            return json.loads(manifest.read_text())["collection_info"]["version"]
    return None


def main() -> int:
    declared = {c["name"]: str(c["version"]) for c in yaml.safe_load((ROOT / "requirements.yml").read_text())["collections"]}
    problems = []
    for name, where in sorted(used_collections().items()):
        if name not in declared:
            problems.append(f"{name} is used ({', '.join(sorted(where)[:3])}) but requirements.yml does not list it")
    for name, version in sorted(declared.items()):
        shipped = installed_version(name)
        if shipped is None:
            problems.append(f"requirements.yml lists {name}, which the pinned ansible package does not ship")
        elif shipped != version:
            problems.append(f"requirements.yml pins {name} {version}, the pinned ansible package ships {shipped}")
    for line in problems:
        print(line)
    print(f"{len(problems)} collection problems")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
