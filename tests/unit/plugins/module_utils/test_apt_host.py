"""apt_host, the apt_install module's work: apt-get runs only for what dpkg lists missing,
updates the lists only when they are old or absent (or an install from recent ones fails),
and a failure names the packages."""

from __future__ import annotations

import os

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import apt_host

PARAMS = {"name": ["nginx", "logrotate"], "install_recommends": False, "cache_valid_time": 3600, "lock_timeout": 60}


class Host:
    """dpkg's installed packages and apt-get's answers, faked; what ran is recorded."""

    def __init__(self, installed, answers=None, lists_age=10):
        self.packages = set(installed)
        self.answers = list(answers or [])
        self.ran = []
        self.age = lists_age

    def installed(self, names):
        return [name for name in names if name in self.packages]

    def run(self, argv, lock_timeout):
        self.ran.append(argv)
        rc, said = self.answers.pop(0) if self.answers else (0, "")
        if rc == 0 and argv[0] == "install":
            self.packages.update(name for name in argv[1:] if not name.startswith("-"))
        return rc, said

    def work(self, monkeypatch, params=None, check_mode=False):
        monkeypatch.setattr(apt_host, "lists_age", lambda now: self.age)
        return apt_host.install(dict(PARAMS, **(params or {})), check_mode, installed=self.installed, run=self.run)


def test_nothing_runs_when_every_package_is_installed(monkeypatch):
    host = Host(["nginx", "logrotate"])
    assert host.work(monkeypatch) == {"changed": False, "installed": [], "cache_updated": False}
    assert host.ran == []


def test_only_the_missing_are_installed_without_recommends_from_recent_lists(monkeypatch):
    host = Host(["logrotate"])
    result = host.work(monkeypatch)
    assert result == {"changed": True, "installed": ["nginx"], "cache_updated": False}
    assert host.ran == [["install", "--no-install-recommends", "nginx"]]


@pytest.mark.parametrize("age", [None, 4000])
def test_old_or_absent_lists_are_updated_first(monkeypatch, age):
    host = Host([], lists_age=age)
    result = host.work(monkeypatch, {"install_recommends": True})
    assert result["cache_updated"] and result["installed"] == ["nginx", "logrotate"]
    assert host.ran == [["update"], ["install", "nginx", "logrotate"]]


def test_check_mode_says_what_it_would_install_and_runs_nothing(monkeypatch):
    host = Host(["logrotate"], lists_age=None)
    assert host.work(monkeypatch, check_mode=True) == {"changed": True, "installed": ["nginx"], "cache_updated": False}
    assert host.ran == [] and "nginx" not in host.packages


def test_an_install_from_recent_lists_that_fails_updates_them_and_tries_once_more(monkeypatch):
    host = Host([], answers=[(100, "E: Failed to fetch .../nginx_1.22.1-9_amd64.deb 404 Not Found"), (0, ""), (0, "")])
    result = host.work(monkeypatch)
    assert not result.get("failed") and result["cache_updated"]
    assert [argv[0] for argv in host.ran] == ["install", "update", "install"]


def test_a_failure_names_the_packages_and_quotes_apt(monkeypatch):
    host = Host([], answers=[(0, ""), (100, "E: Unable to locate package ngnix")], lists_age=None)
    result = host.work(monkeypatch, {"name": ["ngnix"]})
    assert result["failed"] and "could not install ngnix (rc 100)" in result["msg"]
    assert "Unable to locate package ngnix" in result["msg"]
    # Nothing installed; the lists it updated are its one change.
    assert result["installed"] == [] and result["changed"] and result["cache_updated"]
    assert [argv[0] for argv in host.ran] == ["update", "install"]


def test_a_failed_update_stops_before_the_install(monkeypatch):
    host = Host([], answers=[(100, "E: Some index files failed to download")], lists_age=None)
    result = host.work(monkeypatch)
    assert result["failed"] and "apt-get update failed" in result["msg"] and "nginx, logrotate" in result["msg"]
    assert result["installed"] == [] and not result["changed"]
    assert host.ran == [["update"]]


def test_a_name_dpkg_does_not_list_after_the_install_is_refused(monkeypatch):
    host = Host([])
    host.installed = lambda names: [name for name in names if name == "logrotate" and host.ran]
    result = host.work(monkeypatch)
    assert result["failed"] and "does not list nginx as installed" in result["msg"]


def test_lists_age_is_none_without_package_lists_and_counts_from_the_newest_time(tmp_path):
    lists = tmp_path / "lists"
    lists.mkdir()
    (lists / "lock").write_text("")
    assert apt_host.lists_age(1e10, str(lists), str(tmp_path / "stamp")) is None
    (lists / "deb.debian.org_debian_dists_bookworm_main_binary-amd64_Packages").write_text("")
    os.utime(lists, (1000, 1000))
    assert apt_host.lists_age(5000, str(lists), str(tmp_path / "stamp")) == 4000
    (tmp_path / "stamp").write_text("")
    os.utime(tmp_path / "stamp", (3000, 3000))
    assert apt_host.lists_age(5000, str(lists), str(tmp_path / "stamp")) == 2000
