"""The app switch, on a temporary app tree (as the current user: root's uid is not asked for)."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import app_host


def params(tmp_path, **overrides):
    base = {
        "release": str(tmp_path / "releases" / "new"),
        "link": str(tmp_path / "current"),
        "group": "unused",
        "marker": "new app:app\n",
        "previous": str(tmp_path / "releases" / "previous"),
        "touch": [],
        "prune": [],
    }
    base.update(overrides)
    return base


@pytest.fixture(autouse=True)
def as_this_user(monkeypatch):
    """The files are this user's in the tests (chown to root is refused to a user)."""
    monkeypatch.setattr(app_host, "OWNER", os.getuid())


def tree(tmp_path):
    for name in ("old", "new", "older"):
        (tmp_path / "releases" / name).mkdir(parents=True)
    (tmp_path / "current").symlink_to(tmp_path / "releases" / "old")


def test_switch_marks_links_remembers_dates_and_prunes(tmp_path):
    tree(tmp_path)
    result = app_host.switch(params(tmp_path, prune=[str(tmp_path / "releases" / "older")]), os.getgid(), False, 1000.0)
    assert result == {"marked": True, "switched": True, "before": str(tmp_path / "releases" / "old"),
                      "pruned": [str(tmp_path / "releases" / "older")]}
    assert os.readlink(tmp_path / "current") == str(tmp_path / "releases" / "new")
    assert os.readlink(tmp_path / "releases" / "previous") == str(tmp_path / "releases" / "old")
    assert (tmp_path / "releases" / "new" / ".complete").read_text() == "new app:app\n"
    assert os.stat(tmp_path / "releases" / "new").st_mtime == 1000.0
    assert not (tmp_path / "releases" / "older").exists()
    assert not list((tmp_path / "releases").glob("*.pywebstack-tmp"))


def test_a_second_run_changes_nothing(tmp_path):
    tree(tmp_path)
    app_host.switch(params(tmp_path), os.getgid(), False, 1000.0)
    result = app_host.switch(params(tmp_path), os.getgid(), False, 2000.0)
    assert result["marked"] is False and result["switched"] is False
    assert os.stat(tmp_path / "releases" / "new").st_mtime == 1000.0


def test_never_prunes_the_release_or_the_one_live_before(tmp_path):
    tree(tmp_path)
    result = app_host.switch(params(tmp_path, prune=[str(tmp_path / "releases" / n) for n in ("new", "old")]),
                             os.getgid(), False, 1000.0)
    assert result["pruned"] == []
    assert (tmp_path / "releases" / "old").is_dir() and (tmp_path / "releases" / "new").is_dir()


def test_check_mode_says_and_changes_nothing(tmp_path):
    tree(tmp_path)
    result = app_host.switch(params(tmp_path, prune=[str(tmp_path / "releases" / "older")]), os.getgid(), True, 1000.0)
    assert result["marked"] and result["switched"] and result["pruned"]
    assert os.readlink(tmp_path / "current") == str(tmp_path / "releases" / "old")
    assert not (tmp_path / "releases" / "new" / ".complete").exists()
    assert (tmp_path / "releases" / "older").is_dir()


def test_check_mode_predicts_a_release_not_unpacked(tmp_path):
    result = app_host.switch(params(tmp_path, marker=None, release=str(tmp_path / "releases" / "gone")),
                             os.getgid(), True, 1000.0)
    assert result == {"marked": False, "switched": True, "before": "", "pruned": []}


def test_first_release_dates_the_reload_file(tmp_path):
    (tmp_path / "releases" / "new").mkdir(parents=True)
    reload_file = tmp_path / "reload"
    result = app_host.switch(params(tmp_path, touch=[str(reload_file)]), os.getgid(), False, 1000.0)
    assert result["switched"] and result["before"] == ""
    assert not (tmp_path / "releases" / "previous").exists()
    assert os.stat(reload_file).st_mtime == 1000.0


def test_marker_alone_when_the_release_is_live(tmp_path):
    tree(tmp_path)
    result = app_host.switch(params(tmp_path, release=str(tmp_path / "releases" / "old"), marker="old other:app\n"),
                             os.getgid(), False, 1000.0)
    assert result["marked"] and not result["switched"]


def test_refuses_a_live_path_that_is_not_a_link(tmp_path):
    (tmp_path / "releases" / "new").mkdir(parents=True)
    (tmp_path / "current").mkdir()
    with pytest.raises(ValueError, match="is not a link"):
        app_host.switch(params(tmp_path), os.getgid(), False, 1000.0)


def test_refuses_a_missing_release(tmp_path):
    with pytest.raises(ValueError, match="no release to make live"):
        app_host.switch(params(tmp_path), os.getgid(), False, 1000.0)


def test_the_dates_are_not_older_than_the_new_link(tmp_path):
    tree(tmp_path)
    reload_file = tmp_path / "reload"
    app_host.switch(params(tmp_path, touch=[str(reload_file)]), os.getgid(), False)
    assert os.stat(reload_file).st_mtime >= os.lstat(tmp_path / "current").st_mtime
