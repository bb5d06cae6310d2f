"""Lets `python -m pytest tests/unit` from a checkout import the collection by its name.

A checkout is its own collection path (collections/ansible_collections/pywebstack/webstack
links back to it), so putting collections/ on sys.path resolves
`ansible_collections.pywebstack.webstack.*` to the checkout's files. Under ansible-test,
which installs the collection and sets the path itself, there is no collections/ and
nothing is added.
"""

from __future__ import annotations

import pathlib
import sys

COLLECTIONS = pathlib.Path(__file__).resolve().parents[2] / "collections"
if (COLLECTIONS / "ansible_collections").is_dir() and str(COLLECTIONS) not in sys.path:
    sys.path.insert(0, str(COLLECTIONS))
