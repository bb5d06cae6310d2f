"""release_build, which app_build runs on the controller: the same source gives the same
release, and what cannot be built is refused with a message naming it."""

from __future__ import annotations

import tarfile

import pytest

from ansible_collections.pywebstack.webstack.plugins.plugin_utils import release_build


def source(tmp_path, requirements="flask==3.1.0\n"):
    app = tmp_path / "app"
    (app / "pkg" / "__pycache__").mkdir(parents=True)
    (app / "pkg" / "__init__.py").write_text("app = None\n")
    (app / "pkg" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    (app / "requirements.txt").write_text(requirements)
    return app


def test_the_same_source_builds_the_same_release_and_skips_caches(tmp_path):
    app = source(tmp_path)
    first = release_build.build_from_dir(str(app), str(tmp_path / "out"), "requirements.txt")
    second = release_build.build_from_dir(str(app), str(tmp_path / "out"), "requirements.txt")
    assert first == second
    assert first["install"] == "requirements" and first["unpinned"] == [] and not first["hashes"]
    with tarfile.open(first["archive"]) as tar:
        assert sorted(tar.getnames()) == ["pkg", "pkg/__init__.py", "requirements.txt"]


def test_a_changed_file_is_a_new_release_and_unpinned_requirements_are_named(tmp_path):
    app = source(tmp_path)
    before = release_build.build_from_dir(str(app), str(tmp_path / "out"), "requirements.txt")
    (app / "requirements.txt").write_text("flask>=3\n")
    after = release_build.build_from_dir(str(app), str(tmp_path / "out"), "requirements.txt")
    assert after["id"] != before["id"]
    assert after["unpinned"] == ["flask>=3"]


def test_a_built_archive_is_used_as_it_is(tmp_path):
    built = release_build.build_from_dir(str(source(tmp_path)), str(tmp_path / "out"), "requirements.txt")
    used = release_build.use_archive(built["archive"], "requirements.txt")
    assert used["archive"] == built["archive"] and used["install"] == "requirements"
    assert len(used["id"]) == 12


@pytest.mark.parametrize("make, message", [
    (lambda tmp: release_build.build_from_dir(str(tmp / "none"), str(tmp / "out"), "requirements.txt"),
     "does not exist"),
    (lambda tmp: release_build.use_archive(str(tmp / "none.tar.gz"), "requirements.txt"), "does not exist"),
])
def test_what_is_not_there_is_refused_naming_it(tmp_path, make, message):
    with pytest.raises(release_build.BuildError, match=message):
        make(tmp_path)


def test_an_include_the_release_lacks_is_refused(tmp_path):
    app = source(tmp_path, requirements="-r base.txt\n")
    with pytest.raises(release_build.BuildError, match="base.txt is included by the requirements"):
        release_build.build_from_dir(str(app), str(tmp_path / "out"), "requirements.txt")


def test_two_runs_building_the_same_release_at_once_both_get_it(tmp_path, monkeypatch):
    # Another run on the controller builds the same release between this one's write and
    # its rename (two inventories, two CI lanes): both end with the whole archive, and no
    # partial file is left behind.
    app = source(tmp_path)
    out = tmp_path / "out"
    replace = release_build.os.replace
    calls = []

    def other_run_first(src, dst):
        calls.append(dst)
        if len(calls) == 1:
            release_build.build_from_dir(str(app), str(out), "requirements.txt")
        replace(src, dst)

    monkeypatch.setattr(release_build.os, "replace", other_run_first)
    first = release_build.build_from_dir(str(app), str(out), "requirements.txt")
    assert len(calls) == 2
    with tarfile.open(first["archive"]) as tar:
        assert "pkg/__init__.py" in tar.getnames()
    assert sorted(p.name for p in out.iterdir()) == [f"{first['id']}.tar.gz"]
