"""The uwsgi probe's wake: started only while a touch-reload file is newer than a worker."""

from __future__ import annotations

import os

from ansible_collections.pywebstack.webstack.plugins.module_utils import host_state
from ansible_collections.pywebstack.webstack.plugins.module_utils import uwsgi_host


def fake_master(proc, worker_start_ticks):
    """/proc with a vassal master (pid 10, "shop uWSGI master") and one worker, booted at 0."""
    for pid, ppid, ticks, title in ((10, 1, 0, b"shop uWSGI master\0"), (11, 10, worker_start_ticks, b"shop uWSGI worker 1\0")):
        (proc / str(pid)).mkdir()
        fields = ["S", str(ppid)] + ["0"] * 17 + [str(ticks), "0", "0"]
        (proc / str(pid) / "stat").write_text(f"{pid} (uwsgi) {' '.join(fields)}\n", encoding="ascii")
        (proc / str(pid) / "cmdline").write_bytes(title)


def options(tmp_path, touched_at):
    reload_file = tmp_path / "reload"
    reload_file.write_text("", encoding="ascii")
    os.utime(reload_file, (touched_at, touched_at))
    return {"fifo": str(tmp_path / "master.fifo"), "master": "procname:shop", "since": [str(reload_file)], "seconds": 5}


def test_wakes_while_a_worker_is_older_than_the_reload_file(tmp_path, monkeypatch):
    proc = tmp_path / "proc"
    proc.mkdir()
    fake_master(proc, 100)  # the worker started at 1 s
    monkeypatch.setattr(host_state, "boot_time", lambda *a, **k: 0.0)
    spawned = []
    assert uwsgi_host.wake(options(tmp_path, 50.0), proc=str(proc), spawn=spawned.append) is True
    assert len(spawned) == 1


def test_does_not_wake_when_every_worker_is_new_or_no_master_runs(tmp_path, monkeypatch):
    proc = tmp_path / "proc"
    proc.mkdir()
    fake_master(proc, 10000)  # the worker started at 100 s, after the touch
    monkeypatch.setattr(host_state, "boot_time", lambda *a, **k: 0.0)
    spawned = []
    assert uwsgi_host.wake(options(tmp_path, 50.0), proc=str(proc), spawn=spawned.append) is False
    other = options(tmp_path, 50.0) | {"master": "procname:blog"}
    assert uwsgi_host.wake(other, proc=str(proc), spawn=spawned.append) is False
    assert uwsgi_host.wake(options(tmp_path, 50.0) | {"since": []}, proc=str(proc), spawn=spawned.append) is False
    assert spawned == []


def test_probe_names_which_of_its_packages_are_installed(tmp_path, monkeypatch):
    """`installed` holds the asked packages dpkg lists as installed, `logrotate` stays its own answer,
    and dpkg is asked once for both."""
    asked = []

    def dpkg(packages):
        asked.append(packages)
        return [name for name in packages if name in ("logrotate", "libpython3.11", "nginx")]

    monkeypatch.setattr(uwsgi_host, "dpkg_installed", dpkg)
    monkeypatch.setattr(uwsgi_host, "unit_is", lambda verb, unit: "")
    params = {"binary": str(tmp_path / "uwsgi"), "units": [], "packages": ["libpython3.11", "python3-venv"],
              "paths": [], "files": [], "rendered": [], "stats": {"own": [], "dirs": []}, "applied": {}, "wake": None}
    answer = uwsgi_host.probe(params)
    assert answer["installed"] == ["libpython3.11"]
    assert answer["logrotate"] is True
    assert asked == [["libpython3.11", "logrotate", "python3-venv"]]
