# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""Filters records and duplicates: the two list shapes the roles needed from
community.general (dict_kv, counter). Loading that collection's routing table costs a
task 0.2 s of controller time each time, on every host; these cost nothing."""

from __future__ import annotations


def records(values, key):
    """Each value as a one-key mapping: ['/a', '/b'] | records('path') ->
    [{'path': '/a'}, {'path': '/b'}]."""
    return [{key: value} for value in values]


def duplicates(values):
    """The values found more than once, each once, in the order they first repeat."""
    seen, repeated = [], []
    for value in values:
        if value in seen and value not in repeated:
            repeated.append(value)
        seen.append(value)
    return repeated


class FilterModule:
    """Small list shapes the roles' variables are written with."""

    def filters(self):
        return {'records': records, 'duplicates': duplicates}
