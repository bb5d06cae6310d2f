"""The app release writer (app_release's work), on a temporary tree with a fake uv (ownership left as it is)."""

from __future__ import annotations

import base64
import grp
import io
import os
import tarfile

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import release_host


@pytest.fixture(autouse=True)
def no_chown(monkeypatch):
    """chown to root is refused to a user: the tests leave ownership as it is."""
    monkeypatch.setattr(release_host.os, "lchown", lambda path, uid, gid: None)
    monkeypatch.setattr(release_host.os, "chown", lambda path, uid, gid: None)


def archive(tmp_path, files):
    path = tmp_path / "release.tar.gz"
    with tarfile.open(path, "w:gz") as tar:
        for name, content in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(content)
            info.mtime = 0
            tar.addfile(info, io.BytesIO(content))
    return str(path)


def fake_uv(tmp_path, fail_on=""):
    """A uv that records its arguments and makes the virtualenv's python; fails on a word."""
    script = tmp_path / f"uv{fail_on.strip('-')}"
    script.write_text(
        "#!/bin/sh\n"
        f"echo \"$@\" >> {tmp_path}/uv.log\n"
        f"case \"$*\" in *'{fail_on or '@never@'}'*) echo 'error: Hash mismatch for flask' >&2; exit 2;; esac\n"
        "if [ \"$1\" = venv ]; then mkdir -p \"$6/bin\" && touch \"$6/bin/python\"; fi\n",
        encoding="ascii")
    script.chmod(0o755)
    return str(script)


def params(tmp_path, **overrides):
    release = tmp_path / "releases" / "abc"
    base = {
        "archive": archive(tmp_path, {"manage.py": b"app = None\n", "requirements.txt": b"flask==3.1.0\n",
                                      "instance/local.cfg": b"shipped\n"}),
        "release": str(release), "live": "", "group": "unused",
        "links": [{"path": "instance", "target": str(tmp_path / "shared" / "instance")},
                  {"path": "conf/settings.py", "target": str(tmp_path / "shared" / "conf" / "settings.py")}],
        "venv": str(release / ".venv"), "installer": "uv", "uv": fake_uv(tmp_path),
        "requirements": "requirements.txt", "hashes": True, "project": False,
        "reload_file": str(tmp_path / "reload"),
    }
    (tmp_path / "releases").mkdir(exist_ok=True)
    base.update(overrides)
    return base


def test_a_release_is_unpacked_linked_and_installed(tmp_path):
    given = params(tmp_path)
    steps = release_host.write_release(release_host.Commands(), given, os.getgid())
    release = tmp_path / "releases" / "abc"
    names = [step[0] for step in steps]
    assert names == ["directory", "unpack", "ownership", "links", "virtualenv", "requirements", "reload file"]
    assert (release / "manage.py").read_text() == "app = None\n"
    # Dated now, not the archive's 1970.
    assert os.stat(release / "manage.py").st_mtime > 315532800
    assert os.readlink(release / "instance") == str(tmp_path / "shared" / "instance")
    assert os.readlink(release / "conf" / "settings.py") == str(tmp_path / "shared" / "conf" / "settings.py")
    assert oct(os.stat(release / "conf").st_mode & 0o777) == "0o755"
    log = (tmp_path / "uv.log").read_text().splitlines()
    assert log[0] == f"venv --quiet --python python3 {release}/.venv"
    assert log[1] == (f"pip install --python {release}/.venv/bin/python --compile-bytecode "
                      f"--requirements {release}/requirements.txt --require-hashes")
    assert (tmp_path / "reload").read_bytes() == b""
    assert oct(os.stat(tmp_path / "reload").st_mode & 0o777) == "0o644"


def test_the_archive_may_come_as_its_bytes_with_the_arguments(tmp_path):
    given = params(tmp_path)
    with open(given["archive"], "rb") as handle:
        content = base64.b64encode(handle.read()).decode("ascii")
    os.unlink(given["archive"])
    release_host.write_release(release_host.Commands(), dict(given, archive_content=content), os.getgid())
    assert (tmp_path / "releases" / "abc" / "manage.py").read_text() == "app = None\n"


def test_the_work_answers_a_release_or_the_step_that_failed(tmp_path):
    group = grp.getgrgid(os.getgid()).gr_name
    written = release_host.write(params(tmp_path, group=group, load=None))
    assert written["changed"] is True and written["release"] == str(tmp_path / "releases" / "abc")
    assert [step[0] for step in written["steps"]][-1] == "reload file" and "load" not in written
    failed = release_host.write(params(tmp_path, group=group, load=None, uv=fake_uv(tmp_path, fail_on="--requirements")))
    assert failed["failed"] is True and failed["step"] == "requirements" and failed["rc"] == 2
    assert failed["stderr"] == "error: Hash mismatch for flask\n"
    assert release_host.write(params(tmp_path, group="no-such-group-here")) == {
        "failed": True, "msg": "group no-such-group-here does not exist"}


def test_what_a_cut_run_left_is_replaced(tmp_path):
    release = tmp_path / "releases" / "abc"
    release.mkdir(parents=True)
    (release / "half-written").write_text("x", encoding="ascii")
    release_host.write_release(release_host.Commands(), params(tmp_path), os.getgid())
    assert not (release / "half-written").exists()


def test_the_live_release_is_never_removed(tmp_path):
    release = tmp_path / "releases" / "abc"
    release.mkdir(parents=True)
    (release / "kept").write_text("x", encoding="ascii")
    release_host.write_release(release_host.Commands(), params(tmp_path, live=os.path.realpath(release)), os.getgid())
    assert (release / "kept").exists()


def test_a_failed_install_names_its_step_and_says_why(tmp_path):
    given = params(tmp_path, uv=fake_uv(tmp_path, fail_on="--requirements"))
    with pytest.raises(release_host.StepFailed) as failed:
        release_host.write_release(release_host.Commands(), given, os.getgid())
    assert failed.value.step == "requirements"
    assert failed.value.result["rc"] == 2
    assert "Hash mismatch" in failed.value.result["stderr"]
    assert not (tmp_path / "reload").exists()


def test_a_broken_archive_fails_at_unpack(tmp_path):
    broken = tmp_path / "broken.tar.gz"
    broken.write_bytes(b"not a tar")
    with pytest.raises(release_host.StepFailed) as failed:
        release_host.write_release(release_host.Commands(), params(tmp_path, archive=str(broken)), os.getgid())
    assert failed.value.step == "unpack"


def test_commands_for_pip_and_a_project():
    given = {"venv": "/r/.venv", "installer": "pip", "uv": "/usr/local/bin/pywebstack-uv",
             "requirements": "requirements.txt", "hashes": True, "project": True}
    assert release_host.commands(given, "/r") == [
        ("virtualenv", ["python3", "-m", "venv", "/r/.venv"]),
        ("requirements", ["/r/.venv/bin/pip", "install", "--requirement", "/r/requirements.txt"]),
        ("project", ["/r/.venv/bin/pip", "install", "--no-deps", "/r"]),
    ]


def test_commands_for_a_project_with_its_own_dependencies_by_uv():
    given = {"venv": "/r/.venv", "installer": "uv", "uv": "uv", "requirements": "", "hashes": False, "project": True}
    assert release_host.commands(given, "/r") == [
        ("virtualenv", ["uv", "venv", "--quiet", "--python", "python3", "/r/.venv"]),
        ("project", ["uv", "pip", "install", "--python", "/r/.venv/bin/python", "--compile-bytecode", "/r"]),
    ]


class RecordingModule:
    """run_command recorded, answered with a given exit status and error."""

    def __init__(self, rc=0, err=""):
        self.calls, self.rc, self.err = [], rc, err

    def run_command(self, argv, cwd=None, data=None):
        self.calls.append((argv, cwd))
        return self.rc, "", self.err


def test_the_callable_is_loaded_as_the_apps_user_in_a_clean_environment(tmp_path):
    me = release_host.pwd.getpwuid(os.getuid())
    given = params(tmp_path, load={"user": me.pw_name, "source": "print('checked')", "args": ["manage:app", "/srv/a/env"]})
    module = RecordingModule()
    assert release_host.load(module, given) == {"rc": 0, "stdout": "", "stderr": "", "stderr_lines": []}
    argv, cwd = module.calls[0]
    assert argv[:6] == ["runuser", "-u", me.pw_name, "--", "env", "-i"]
    assert f"HOME={me.pw_dir}" in argv and "LANG=C.UTF-8" in argv
    assert argv[-5:] == [given["venv"] + "/bin/python", "-c", "print('checked')", "manage:app", "/srv/a/env"]
    assert cwd == given["release"]


def test_a_callable_that_does_not_load_is_an_answer_not_a_failure(tmp_path):
    me = release_host.pwd.getpwuid(os.getuid())
    given = params(tmp_path, load={"user": me.pw_name, "source": "", "args": []})
    answer = release_host.load(RecordingModule(rc=1, err="Traceback\ncannot import module 'missing'\n"), given)
    assert answer["rc"] == 1 and answer["stderr_lines"][-1] == "cannot import module 'missing'"


def test_a_missing_user_is_an_answer_naming_it(tmp_path):
    given = params(tmp_path, load={"user": "no-such-user-here", "source": "", "args": []})
    assert release_host.load(RecordingModule(), given)["stderr"] == "user no-such-user-here does not exist"
