# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Filter differs_from: whether a probe's record of a file (module_utils host_state's
rendered(): sha1, owner, group, mode) differs from the file a task would write."""

from __future__ import annotations

import hashlib

from ansible.module_utils.common.text.converters import to_bytes


def differs_from(record, content=None, owner='root', group='root', mode='0644'):
    """True when the task must write: nothing at the path, or another content, owner,
    group or mode. content None stands for a directory (its record's sha1 is "")."""
    want = {
        'sha1': '' if content is None else hashlib.sha1(to_bytes(content, errors='surrogate_or_strict')).hexdigest(),
        'owner': owner,
        'group': group,
        'mode': mode,
    }
    return record != want


class FilterModule:
    """The roles' one comparison of a probed file with what they would write."""

    def filters(self):
        return {'differs_from': differs_from}
