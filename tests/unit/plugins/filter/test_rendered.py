"""differs_from against the records the probes make of real files (host_state.rendered)."""

from __future__ import annotations

import grp
import os
import pwd

from ansible_collections.pywebstack.webstack.plugins.filter.rendered import differs_from
from ansible_collections.pywebstack.webstack.plugins.module_utils import host_state

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name


def written(path, content, mode=0o644):
    path.write_text(content, encoding="utf-8")
    os.chmod(path, mode)
    return host_state.rendered(str(path))


def test_the_same_file_does_not_differ(tmp_path):
    record = written(tmp_path / "f.conf", "listen 80;\nserver_name é.example;\n")
    assert not differs_from(record, "listen 80;\nserver_name é.example;\n", ME, MY_GROUP, "0644")


def test_content_owner_group_or_mode_differs(tmp_path):
    record = written(tmp_path / "f.conf", "a\n")
    assert differs_from(record, "b\n", ME, MY_GROUP, "0644")
    assert differs_from(record, "a", ME, MY_GROUP, "0644")  # a trailing newline counts
    assert differs_from(record, "a\n", "nobody-else", MY_GROUP, "0644")
    assert differs_from(record, "a\n", ME, "nogroup-else", "0644")
    assert differs_from(record, "a\n", ME, MY_GROUP, "0640")


def test_nothing_at_the_path_differs(tmp_path):
    assert differs_from(host_state.rendered(str(tmp_path / "missing")), "a\n", ME, MY_GROUP, "0644")


def test_a_directory_is_compared_without_content(tmp_path):
    directory = tmp_path / "d"
    directory.mkdir(mode=0o755)
    os.chmod(directory, 0o755)
    record = host_state.rendered(str(directory))
    assert not differs_from(record, None, ME, MY_GROUP, "0755")
    assert differs_from(record, None, ME, MY_GROUP, "0750")
    # A file where a directory should be (or the reverse) differs.
    assert differs_from(record, "", ME, MY_GROUP, "0755")


def test_defaults_are_root_root_0644():
    record = {"sha1": "da39a3ee5e6b4b0d3255bfef95601890afd80709", "owner": "root", "group": "root", "mode": "0644"}
    assert not differs_from(record, "")
    assert differs_from(record, "", mode="0755")
