"""records and duplicates, the list shapes that replaced community.general's dict_kv and counter."""

from __future__ import annotations

from ansible_collections.pywebstack.webstack.plugins.filter.lists import duplicates, records


def test_records_puts_each_value_under_the_key_in_order():
    assert records(['/srv/a', '/srv/b'], 'path') == [{'path': '/srv/a'}, {'path': '/srv/b'}]


def test_records_of_nothing_is_nothing():
    assert records([], 'path') == []


def test_duplicates_names_each_repeated_value_once_in_the_order_it_repeats():
    assert duplicates(['b', 'a', 'b', 'c', 'a', 'b']) == ['b', 'a']


def test_duplicates_of_unique_values_is_empty():
    assert duplicates(['example.com', 'www.example.com']) == []
