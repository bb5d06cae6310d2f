"""write_file: one file written from its content, checked before it replaces the old one."""

from __future__ import annotations

import grp
import os
import pwd
import threading
import time

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import file_host

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name


def params(path, content="a = 1\n", mode="0640", validate=None):
    return {"path": str(path), "content": content, "owner": ME, "group": MY_GROUP, "mode": mode, "validate": validate}


def never(argv):
    raise AssertionError(f"no check expected, ran {argv}")


def test_a_new_file_is_written_with_its_mode(tmp_path):
    target = tmp_path / "app.ini"
    result = file_host.write(params(target), False, never)
    assert result == {"changed": True, "written": True, "before": None}
    assert target.read_text() == "a = 1\n"
    assert oct(os.stat(target).st_mode & 0o7777) == "0o640"
    assert [p.name for p in tmp_path.iterdir()] == ["app.ini"]


def test_the_same_file_is_left_alone(tmp_path):
    target = tmp_path / "app.ini"
    file_host.write(params(target), False, never)
    inode = os.stat(target).st_ino
    assert file_host.write(params(target), False, never)["changed"] is False
    assert os.stat(target).st_ino == inode


def test_a_mode_alone_is_set_without_writing(tmp_path):
    target = tmp_path / "app.ini"
    file_host.write(params(target), False, never)
    inode = os.stat(target).st_ino
    result = file_host.write(params(target, mode="0644"), False, never)
    assert result["changed"] and not result["written"]
    assert os.stat(target).st_ino == inode and os.stat(target).st_mode & 0o7777 == 0o644


def test_check_mode_says_what_would_change_and_writes_nothing(tmp_path):
    target = tmp_path / "app.ini"
    target.write_text("old\n")
    result = file_host.write(params(target), True, never)
    assert result == {"changed": True, "written": True, "before": b"old\n"}
    assert target.read_text() == "old\n"


def test_the_check_sees_the_candidate_with_its_mode_before_it_replaces_the_file(tmp_path):
    target = tmp_path / "app.ini"
    target.write_text("old\n")
    seen = []

    def run(argv):
        candidate = argv[1]
        seen.append((argv[0], open(candidate).read(), oct(os.stat(candidate).st_mode & 0o7777), argv[2]))
        return 0, "", ""

    file_host.write(params(target, validate=f"checker %s {target}"), False, run)
    assert seen == [("checker", "a = 1\n", "0o640", str(target))]
    assert target.read_text() == "a = 1\n"


def test_a_refused_candidate_leaves_the_old_file_and_no_leftover(tmp_path):
    target = tmp_path / "app.ini"
    target.write_text("old\n")
    with pytest.raises(file_host.Refused, match="refused the new content .exit 1.: bad option"):
        file_host.write(params(target, validate="checker %s"), False, lambda argv: (1, "", "bad option\n"))
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["app.ini"]


@pytest.mark.parametrize("change, message", [
    ({"owner": "no-such-user-here"}, "owner no-such-user-here does not exist"),
    ({"group": "no-such-group-here"}, "group no-such-group-here does not exist"),
    ({"path": "/nonexistent-dir/app.ini"}, "directory /nonexistent-dir does not exist"),
    ({"validate": "checker"}, "must name the candidate with %s"),
])
def test_what_cannot_be_written_is_refused_naming_it(tmp_path, change, message):
    with pytest.raises(file_host.Refused, match=message):
        file_host.write({**params(tmp_path / "app.ini"), **change}, False, lambda argv: (0, "", ""))


def test_a_directory_in_the_way_is_refused(tmp_path):
    (tmp_path / "app.ini").mkdir()
    with pytest.raises(file_host.Refused, match="is not a regular file"):
        file_host.write(params(tmp_path / "app.ini"), False, never)


@pytest.mark.parametrize("change", [
    {"path": "/nonexistent-dir/app.ini"},
    {"group": "no-such-group-here"},
    {"owner": "no-such-user-here"},
])
def test_a_dry_run_on_a_fresh_host_says_it_would_write(tmp_path, change):
    # A real run makes the directory, the user or the group first (a task before this one).
    result = file_host.write({**params(tmp_path / "app.ini"), **change}, True, never)
    assert result["changed"] and result["written"]
    assert not (tmp_path / "app.ini").exists()


def test_a_candidate_left_by_a_cut_run_is_replaced_and_gone(tmp_path):
    target = tmp_path / "app.ini"
    target.write_text("old\n")
    leftover = tmp_path / ".app.ini.pywebstack-tmp"
    leftover.write_text("half a fi")
    file_host.write(params(target), False, never)
    assert target.read_text() == "a = 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.ini"]


def test_a_link_planted_as_the_candidate_is_not_followed(tmp_path):
    target = tmp_path / "app.ini"
    elsewhere = tmp_path / "elsewhere"
    elsewhere.write_text("keep\n")
    (tmp_path / ".app.ini.pywebstack-tmp").symlink_to(elsewhere)
    file_host.write(params(target), False, never)
    assert target.read_text() == "a = 1\n"
    assert elsewhere.read_text() == "keep\n"
    assert not (tmp_path / ".app.ini.pywebstack-tmp").exists()


def test_writers_of_one_file_at_once_take_turns(tmp_path):
    # Two hosts of a deploy batch delegate the same upstream file to one web host at once.
    target = tmp_path / "upstream-demo.conf"
    target.write_text("old\n")
    errors, results = [], []

    def slow_check(argv):
        time.sleep(0.05)  # a validate that takes time widens the window between writing and renaming
        return 0, "", ""

    def writer():
        try:
            results.append(file_host.write(params(target, validate="checker %s"), False, slow_check))
        except Exception as error:  # pylint: disable=broad-exception-caught  # any error fails the test below
            errors.append(error)

    threads = [threading.Thread(target=writer) for count in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert target.read_text() == "a = 1\n"
    # The first to take its turn wrote; each after it found the file already so.
    assert sorted(result["changed"] for result in results) == [False] * 5 + [True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["upstream-demo.conf"]


def test_the_work_answers_the_diff_when_asked_and_refusals_as_failures(tmp_path):
    target = tmp_path / "app.ini"
    target.write_text("old\n")
    answer = file_host.write_file(dict(params(target), _diff=True))
    assert answer["changed"] is True and answer["path"] == str(target) and "before" not in answer
    assert answer["diff"] == {"before_header": str(target), "after_header": str(target), "before": "old\n", "after": "a = 1\n"}
    assert "diff" not in file_host.write_file(params(target, content="b = 2\n"))
    assert file_host.write_file(params(target, mode="rw")) == {
        "failed": True, "msg": "mode 'rw' is not an octal string such as '0644'"}
    refused = file_host.write_file(params(target, validate="false %s"))
    assert refused["failed"] is True and refused["msg"].startswith(f"{target} was not replaced: false %s refused")


def dir_params(path, mode="0750", owner=ME, group=MY_GROUP):
    return {"path": str(path), "owner": owner, "group": group, "mode": mode}


def test_a_directory_is_made_with_the_missing_ones_above_it(tmp_path):
    target = tmp_path / "srv" / "shop" / "releases"
    assert file_host.directory(dir_params(target)) == {"changed": True, "created": True, "path": str(target)}
    for made in (tmp_path / "srv", tmp_path / "srv" / "shop", target):
        assert made.is_dir() and oct(os.stat(made).st_mode & 0o7777) == "0o750"
    assert file_host.directory(dir_params(target)) == {"changed": False, "created": False, "path": str(target)}


def test_a_directory_whose_mode_differs_gets_it_and_keeps_its_files(tmp_path):
    target = tmp_path / "conf.d"
    target.mkdir(mode=0o700)
    (target / "keep.conf").write_text("x\n")
    assert file_host.directory(dir_params(target, mode="0755")) == {"changed": True, "created": False, "path": str(target)}
    assert oct(os.stat(target).st_mode & 0o7777) == "0o755" and (target / "keep.conf").read_text() == "x\n"


def test_a_dry_run_changes_nothing_and_says_it_would(tmp_path):
    target = tmp_path / "a" / "b"
    assert file_host.directory(dir_params(target), check_mode=True)["changed"] is True
    assert not (tmp_path / "a").exists()
    # A user a real run would add before this task: a dry run says it would change, a real one fails naming it.
    assert file_host.directory(dir_params(tmp_path, owner="no-such-user-here"), check_mode=True)["changed"] is True
    failed = file_host.directory(dir_params(tmp_path, owner="no-such-user-here"))
    assert failed["failed"] is True and "no-such-user-here" in failed["msg"]


def test_a_file_in_the_way_or_a_bad_mode_fails_and_changes_nothing(tmp_path):
    (tmp_path / "file").write_text("x\n")
    failed = file_host.directory(dir_params(tmp_path / "file" / "sub"))
    assert failed["failed"] is True and "is not a directory" in failed["msg"]
    failed = file_host.directory(dir_params(tmp_path / "new", mode="rwx"))
    assert failed["failed"] is True and "octal" in failed["msg"] and not (tmp_path / "new").exists()
