"""Lets the tests import the collection as ansible_collections.pywebstack.webstack from this
checkout (collections/ links back to it), as Ansible does; ansible-test units sets the same path."""

import os
import sys

_COLLECTIONS = os.path.join(os.path.dirname(__file__), '..', '..', 'collections')
if os.path.isdir(_COLLECTIONS):
    sys.path.insert(0, os.path.abspath(_COLLECTIONS))
