"""The uwsgi role's health checker (roles/uwsgi/files/uwsgi_healthcheck.py): its FIFO nudge.

The checker runs on the host with its python3 (python3 -c), so it is loaded here from its file.
"""

from __future__ import annotations

import importlib.util
import os
import pathlib
import time

CHECKER = pathlib.Path(__file__).resolve().parents[3] / "roles" / "uwsgi" / "files" / "uwsgi_healthcheck.py"


def load():
    spec = importlib.util.spec_from_file_location("uwsgi_healthcheck", CHECKER)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_nudge_writes_one_byte_no_fifo_command_uses(tmp_path):
    fifo = tmp_path / "master.fifo"
    os.mkfifo(fifo)
    # The master holds its FIFO open for reading; so does this test.
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        load().nudge(str(fifo))
        # A newline: uWSGI's master FIFO maps digits, letters and +/- to commands, not it.
        assert os.read(reader, 16) == b"\n"
    finally:
        os.close(reader)


def test_nudge_returns_at_once_when_no_master_reads(tmp_path):
    fifo = tmp_path / "master.fifo"
    os.mkfifo(fifo)
    started = time.monotonic()
    load().nudge(str(fifo))  # a blocking open would wait here for a reader forever
    assert time.monotonic() - started < 1


def test_nudge_ignores_a_missing_fifo(tmp_path):
    load().nudge(str(tmp_path / "absent.fifo"))


def fake_proc(tmp_path, uptime, children):
    """A /proc with an uptime and processes: {pid: (ppid, start in clock ticks)}."""
    proc = tmp_path / "proc"
    proc.mkdir()
    (proc / "uptime").write_text(f"{uptime} 0.00\n", encoding="ascii")
    (proc / "stat").write_text("btime 1000\n", encoding="ascii")
    for pid, (ppid, ticks) in children.items():
        (proc / str(pid)).mkdir()
        fields = ["S", str(ppid)] + ["0"] * 17 + [str(ticks), "0", "0"]
        (proc / str(pid) / "stat").write_text(f"{pid} (uwsgi) {' '.join(fields)}\n", encoding="ascii")
    return str(proc)


def test_workers_start_times_are_exact_to_a_tick(tmp_path):
    hz = os.sysconf("SC_CLK_TCK")
    # Booted 100.25 s before "now"; the master's children started 40 s and 99.5 s after boot.
    proc = fake_proc(tmp_path, 100.25, {11: (10, 40 * hz), 12: (10, int(99.5 * hz)), 13: (1, 5 * hz)})
    started = load().workers_started(10, proc=proc, now=5000.0)
    assert set(started) == {11, 12}
    # From the uptime, not the whole-second btime (which would put them 0.25 s early).
    assert abs(started[11] - (5000.0 - 100.25 + 40)) < 1e-6
    assert abs(started[12] - (5000.0 - 100.25 + 99.5)) < 1e-6
