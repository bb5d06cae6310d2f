"""The app probe's release reading, on a temporary app tree."""

from __future__ import annotations

import hashlib
import os

from ansible_collections.pywebstack.webstack.plugins.module_utils import app_host


def make_tree(tmp_path):
    releases = tmp_path / "releases"
    for name, mtime in (("0a1", 100), ("b2c", 300), ("9f0", 200)):
        (releases / name).mkdir(parents=True)
        os.utime(releases / name, (mtime, mtime))
    (releases / "previous").symlink_to(releases / "0a1")
    (releases / "aa-link").symlink_to(releases / "b2c")
    (releases / "notes").mkdir()
    (releases / "c0ffee").write_text("a file, not a release\n", encoding="ascii")
    (tmp_path / "current").symlink_to(releases / "b2c")
    return releases


def test_live_is_the_resolved_target_of_the_link(tmp_path):
    releases = make_tree(tmp_path)
    assert app_host.live(str(tmp_path / "current")) == os.path.realpath(releases / "b2c")


def test_live_is_empty_without_a_link(tmp_path):
    (tmp_path / "plain").mkdir()
    assert app_host.live(str(tmp_path / "missing")) == ""
    assert app_host.live(str(tmp_path / "plain")) == ""
    assert app_host.live(None) == ""


def test_releases_are_hex_named_directories_with_their_mtime(tmp_path):
    releases = make_tree(tmp_path)
    found = app_host.releases(str(releases))
    assert found == [
        {"path": str(releases / "0a1"), "mtime": 100.0},
        {"path": str(releases / "9f0"), "mtime": 200.0},
        {"path": str(releases / "b2c"), "mtime": 300.0},
    ]


def test_no_releases_directory_is_no_releases(tmp_path):
    assert app_host.releases(str(tmp_path / "missing")) == []
    assert app_host.releases(None) == []


def test_this_release_marker_is_its_sha1(tmp_path):
    releases = make_tree(tmp_path)
    (releases / "9f0" / ".complete").write_bytes(b"9f0 app:app\n")
    assert app_host.this_release(str(releases), "9f0") == {
        "exists": True, "marker": hashlib.sha1(b"9f0 app:app\n").hexdigest()}
    assert app_host.this_release(str(releases), "0a1") == {"exists": True, "marker": ""}
    assert app_host.this_release(str(releases), "dead") == {"exists": False, "marker": ""}
