"""The probes' shared helpers, on temporary files and a fake /proc."""

from __future__ import annotations

import hashlib
import os
import stat
import time

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_state


def write_proc(proc, pid, ppid, start_ticks, name="uwsgi", cmdline=b""):
    """A /proc/PID with the stat fields the helpers read: ppid (field 4) and starttime (22)."""
    directory = proc / str(pid)
    directory.mkdir()
    fields = ["S", str(ppid)] + ["0"] * 17 + [str(start_ticks), "0", "0"]
    (directory / "stat").write_text(f"{pid} ({name}) {' '.join(fields)}\n", encoding="ascii")
    (directory / "cmdline").write_bytes(cmdline)


def test_sha1_of_a_file(tmp_path):
    path = tmp_path / "f"
    path.write_bytes(b"hello\n")
    assert host_state.sha1(str(path)) == hashlib.sha1(b"hello\n").hexdigest()


def test_sha1_of_nothing_or_a_directory_is_empty(tmp_path):
    assert host_state.sha1(str(tmp_path / "missing")) == ""
    assert host_state.sha1(str(tmp_path)) == ""


def test_rendered_record_of_a_file(tmp_path):
    path = tmp_path / "nginx.conf"
    path.write_bytes(b"worker_processes auto;\n")
    os.chmod(path, 0o640)
    record = host_state.rendered(str(path))
    st = os.stat(path)
    assert record == {
        "sha1": hashlib.sha1(b"worker_processes auto;\n").hexdigest(),
        "owner": host_state.ownership(st)["owner"],
        "group": host_state.ownership(st)["group"],
        "mode": "0640",
    }
    assert list(record) == ["sha1", "owner", "group", "mode"]


def test_rendered_record_of_a_directory_and_of_nothing(tmp_path):
    os.chmod(tmp_path, 0o755)
    assert host_state.rendered(str(tmp_path))["sha1"] == ""
    assert host_state.rendered(str(tmp_path))["mode"] == "0755"
    assert host_state.rendered(str(tmp_path / "missing")) is None


def test_ownership_names_and_numbers(tmp_path, monkeypatch):
    st = os.stat(tmp_path)

    def unknown(number):
        raise KeyError(number)

    monkeypatch.setattr(host_state.pwd, "getpwuid", unknown)
    monkeypatch.setattr(host_state.grp, "getgrgid", unknown)
    assert host_state.ownership(st) == {"owner": str(st.st_uid), "group": str(st.st_gid),
                                        "mode": format(stat.S_IMODE(st.st_mode), "04o")}


def test_installed_packages_are_those_dpkg_marks_ii():
    status = "ii nginx\nun nginx-extras\nrc uwsgi\nii python3-venv\n"
    assert host_state.installed_packages(status) == ["nginx", "python3-venv"]
    assert host_state.installed_packages("") == []


def test_run_of_a_missing_command_is_empty():
    assert host_state.run("/nonexistent/command") == ""
    assert host_state.run("sh", "-c", "echo out; echo err >&2", stream="stderr") == "err\n"


def test_boot_time_is_now_minus_uptime(tmp_path):
    uptime = tmp_path / "uptime"
    uptime.write_text("1234.56 4000.00\n", encoding="ascii")
    assert host_state.boot_time(str(uptime), now=10000.0) == pytest.approx(10000.0 - 1234.56)


def test_started_adds_the_start_ticks_to_the_boot_time(tmp_path):
    write_proc(tmp_path, 10, 1, 500, name="uwsgi (master) x")
    write_proc(tmp_path, 11, 10, 1250)
    starts = host_state.started([10, 11, 99], proc=str(tmp_path), boot=1000.0, ticks=100)
    assert starts == {10: 1005.0, 11: 1012.5}  # 99 is gone, and left out


def test_started_reads_the_boot_time_from_the_proc_directory(tmp_path, monkeypatch):
    write_proc(tmp_path, 10, 1, 200)
    (tmp_path / "uptime").write_text("50.00 0.00\n", encoding="ascii")
    monkeypatch.setattr(host_state.time, "time", lambda: 2000.0)
    assert host_state.started([10], proc=str(tmp_path), ticks=100) == {10: pytest.approx(1952.0)}


def test_children_are_the_processes_whose_parent_is_pid(tmp_path):
    write_proc(tmp_path, 10, 1, 0)
    write_proc(tmp_path, 11, 10, 0, name="a) b")
    write_proc(tmp_path, 12, 10, 0)
    write_proc(tmp_path, 13, 11, 0)
    (tmp_path / "uptime").write_text("1.0 1.0\n", encoding="ascii")
    (tmp_path / "14").mkdir()  # gone between listdir and open: no stat file
    assert sorted(host_state.children(10, proc=str(tmp_path))) == [11, 12]


def test_cmdline_of_a_process_and_of_a_gone_one(tmp_path):
    write_proc(tmp_path, 10, 1, 0, cmdline=b"nginx: worker process is shutting down\0")
    assert b"shutting down" in host_state.cmdline(10, proc=str(tmp_path))
    assert host_state.cmdline(99, proc=str(tmp_path)) == b""


def test_mtime_ctime_and_a_link(tmp_path):
    target = tmp_path / "target"
    target.write_text("x", encoding="ascii")
    os.utime(target, (1000.0, 2000.0))
    link = tmp_path / "link"
    link.symlink_to(target)
    os.utime(link, (3000.0, 4000.0), follow_symlinks=False)
    assert host_state.mtime(str(target)) == 2000.0
    assert host_state.mtime(str(link)) == 2000.0
    assert host_state.mtime(str(link), follow=False) == 4000.0
    assert host_state.mtime(str(target), change=True) == os.stat(target).st_ctime
    assert host_state.mtime(str(tmp_path / "missing")) == 0.0


def test_unit_show_parses_properties(monkeypatch):
    monkeypatch.setattr(host_state, "run", lambda *argv, **kw: "MainPID=42\nNeedDaemonReload=no\n")
    assert host_state.unit_show("x.service", "MainPID", "NeedDaemonReload") == {"MainPID": "42", "NeedDaemonReload": "no"}


def test_files_state_answers_the_files_options(tmp_path):
    (tmp_path / "a").write_bytes(b"a")
    params = {"paths": [str(tmp_path), str(tmp_path / "missing")], "files": [str(tmp_path / "a"), str(tmp_path / "missing")],
              "rendered": [str(tmp_path / "missing")]}
    assert set(host_state.files_argument_spec()) == set(params)
    assert host_state.files_state(params) == {
        "paths": {str(tmp_path): True, str(tmp_path / "missing"): False},
        "files": {str(tmp_path / "a"): hashlib.sha1(b"a").hexdigest(), str(tmp_path / "missing"): ""},
        "rendered": {str(tmp_path / "missing"): None},
    }


def test_master_pid_of_a_vassal_is_found_by_its_title(tmp_path):
    write_proc(tmp_path, 10, 1, 0, cmdline=b"shop uWSGI worker 1\0")
    write_proc(tmp_path, 11, 1, 0, cmdline=b"shop uWSGI master\0")
    write_proc(tmp_path, 12, 1, 0, cmdline=b"shopfront uWSGI master\0")
    assert host_state.master_pid("procname:shop", proc=str(tmp_path)) == 11
    assert host_state.master_pid("procname:blog", proc=str(tmp_path)) == 0


def test_master_pid_of_a_unit_is_its_main_pid(monkeypatch):
    monkeypatch.setattr(host_state, "run", lambda *argv, **kw: "MainPID=42\n" if argv[-1] == "uwsgi-shop.service" else "MainPID=0\n")
    assert host_state.master_pid("uwsgi-shop.service") == 42
    assert host_state.master_pid("uwsgi-blog.service") == 0


def test_stale_workers_started_more_than_a_second_before_the_change(tmp_path):
    write_proc(tmp_path, 10, 1, 0)
    write_proc(tmp_path, 11, 10, 100)   # 1001.0: stale for a change at 1005.0
    write_proc(tmp_path, 12, 10, 450)   # 1004.5: within the second before it, new
    write_proc(tmp_path, 13, 10, 600)   # 1006.0: new
    assert host_state.stale_workers(10, 1005.0, proc=str(tmp_path), boot=1000.0, ticks=100) == [11]
    assert host_state.stale_workers(10, 1001.5, proc=str(tmp_path), boot=1000.0, ticks=100) == []


def test_wake_master_writes_a_newline_to_a_read_fifo_and_not_to_an_unread_one(tmp_path):
    fifo = str(tmp_path / "master.fifo")
    os.mkfifo(fifo)
    assert host_state.wake_master(fifo) is False  # no master reads it
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        assert host_state.wake_master(fifo) is True
        assert os.read(reader, 16) == b"\n"
    finally:
        os.close(reader)
    assert host_state.wake_master(str(tmp_path / "missing")) is False


def test_keep_waking_stops_when_the_workers_are_new_or_the_time_is_up(tmp_path, monkeypatch):
    fifo = str(tmp_path / "master.fifo")
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    (tmp_path / "uptime").write_text("0.0 0.0\n", encoding="ascii")
    monkeypatch.setattr(host_state.time, "time", lambda: 1000.0)  # boot at 1000.0
    write_proc(tmp_path, 10, 1, 0)
    write_proc(tmp_path, 11, 10, 100)  # started 1001.0
    now = [0.0]

    def sleep(seconds):
        now[0] += seconds

    try:
        # A worker older than the change: woken every 0.05 s for the 1 s allowed.
        woken = host_state.keep_waking(fifo, 10, 1005.0, 1.0, proc=str(tmp_path), sleep=sleep, clock=lambda: now[0])
        assert woken == 20
        # Every worker new: not woken at all.
        now[0] = 0.0
        assert host_state.keep_waking(fifo, 10, 1001.5, 1.0, proc=str(tmp_path), sleep=sleep, clock=lambda: now[0]) == 0
    finally:
        os.close(reader)
    # The master gone (no reader): stops at once.
    now[0] = 0.0
    assert host_state.keep_waking(fifo, 10, 1005.0, 1.0, proc=str(tmp_path), sleep=sleep, clock=lambda: now[0]) == 0


def test_detach_runs_the_work_in_another_process_and_returns(tmp_path):
    done = tmp_path / "done"

    def work():
        done.write_text(str(os.getpid()), encoding="ascii")

    host_state.detach(work)
    deadline = time.monotonic() + 2
    while time.monotonic() < deadline and not (done.exists() and done.read_text(encoding="ascii")):
        time.sleep(0.02)
    assert int(done.read_text(encoding="ascii")) != os.getpid()
