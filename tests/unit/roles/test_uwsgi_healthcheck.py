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
