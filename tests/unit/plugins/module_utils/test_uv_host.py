"""uv_install: uv's wheel for this host from the index, refused unless its bytes are pinned."""

from __future__ import annotations

import hashlib
import http.server
import io
import json
import os
import threading
import zipfile

import pytest

from ansible_collections.pywebstack.webstack.plugins.module_utils import uv_host

X86 = "uv-0.13.9-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
ARM17 = "uv-0.13.9-py3-none-manylinux_2_17_aarch64.manylinux2014_aarch64.musllinux_1_1_aarch64.whl"
ARM28 = "uv-0.13.9-py3-none-manylinux_2_28_aarch64.whl"
MUSL = "uv-0.13.9-py3-none-musllinux_1_1_x86_64.whl"
OLD = "uv-0.13.8-py3-none-manylinux_2_17_x86_64.manylinux2014_x86_64.whl"
NAMES = [(name, name) for name in (OLD, MUSL, X86, ARM17, ARM28, "uv-0.13.9.tar.gz")]


def wheel(uv=b"#!uv\n", uvx=b"#!uvx\n"):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("uv/__init__.py", "")
        archive.writestr("uv-0.13.9.data/scripts/uv", uv)
        if uvx is not None:
            archive.writestr("uv-0.13.9.data/scripts/uvx", uvx)
        archive.writestr("uv-0.13.9.dist-info/RECORD", "")
    return data.getvalue()


@pytest.mark.parametrize("machine, libc, expected", [
    ("x86_64", (2, 36), X86),
    ("aarch64", (2, 36), ARM28),   # the newest manylinux this glibc runs
    ("aarch64", (2, 24), ARM17),
])
def test_the_wheel_that_fits_the_host_best_is_picked(machine, libc, expected):
    assert uv_host.pick(NAMES, "0.13.9", machine, libc) == (expected, expected)


@pytest.mark.parametrize("machine, libc", [("x86_64", (2, 12)), ("x86_64", None), ("riscv64", (2, 36))])
def test_no_fitting_wheel_is_refused_naming_what_the_index_has(machine, libc):
    with pytest.raises(uv_host.Refused, match=r"no wheel of uv 0\.13\.9 for this host .*" + machine) as refused:
        uv_host.pick(NAMES, "0.13.9", machine, libc)
    assert X86 in str(refused.value) and OLD not in str(refused.value)


def test_the_index_page_is_read_as_json_or_html_with_urls_made_absolute():
    page = "https://mirror.example/simple/uv/"
    as_json = json.dumps({"files": [{"filename": X86, "url": "../../files/" + X86 + "#sha256=00"}]}).encode()
    as_html = f'<html><body><a href="../../files/{X86}#sha256=00">{X86}</a><br/></body></html>'.encode()
    expected = [(X86, "https://mirror.example/files/" + X86)]
    assert uv_host.files(as_json, "application/vnd.pypi.simple.v1+json", page) == expected
    assert uv_host.files(as_html, "text/html; charset=utf-8", page) == expected


class Index:
    """A simple index on 127.0.0.1 serving uv's page (JSON or HTML) and one wheel."""

    def __init__(self, body: bytes, html: bool = False):
        index = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                index.requests.append(self.path)
                if self.path == "/simple/uv/":
                    if html:
                        out, kind = f'<a href="/files/{X86}">{X86}</a>'.encode(), "text/html"
                    else:
                        out, kind = json.dumps({"files": [{"filename": X86, "url": "/files/" + X86}]}).encode(), \
                            "application/vnd.pypi.simple.v1+json"
                elif self.path == "/files/" + X86:
                    out, kind = body, "application/octet-stream"
                else:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(out)))
                self.end_headers()
                self.wfile.write(out)

            def log_message(self, *args):
                pass

        self.requests = []
        self.server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/simple"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


def params(index, dest, hashes):
    return {"version": "0.13.9", "hashes": hashes, "dest": str(dest), "index_url": index.url, "ca_bundle": "",
            "timeout": 5}


@pytest.mark.parametrize("html", [False, True])
def test_the_pinned_wheel_puts_uv_and_uvx_in_place_once(tmp_path, html):
    body = wheel()
    index = Index(body, html)
    try:
        pins = ["sha256:" + "0" * 64, "sha256:" + hashlib.sha256(body).hexdigest()]
        result = uv_host.install(params(index, tmp_path / "uv", pins), machine="x86_64", libc=(2, 36))
        assert result == {"changed": True, "wheel": X86, "sha256": hashlib.sha256(body).hexdigest(),
                          "path": str(tmp_path / "uv" / "bin" / "uv")}
        assert (tmp_path / "uv" / "bin" / "uv").read_bytes() == b"#!uv\n"
        assert (tmp_path / "uv" / "bin" / "uvx").read_bytes() == b"#!uvx\n"
        assert os.stat(tmp_path / "uv" / "bin" / "uv").st_mode & 0o7777 == 0o755
        again = uv_host.install(params(index, tmp_path / "uv", pins), machine="x86_64", libc=(2, 36))
        assert again["changed"] is False
    finally:
        index.close()


def test_a_wheel_whose_bytes_are_not_pinned_is_refused_and_nothing_is_written(tmp_path):
    body = wheel()
    index = Index(body)
    try:
        result = uv_host.install(params(index, tmp_path / "uv", ["sha256:" + "0" * 64]), machine="x86_64",
                                 libc=(2, 36))
    finally:
        index.close()
    assert result["failed"] and "has sha256:" + hashlib.sha256(body).hexdigest() in result["msg"]
    assert "python_uv_hashes" in result["msg"] and "nothing installed" in result["msg"]
    assert not (tmp_path / "uv").exists()


def test_check_mode_names_the_wheel_and_downloads_nothing(tmp_path):
    index = Index(wheel())
    try:
        result = uv_host.install(params(index, tmp_path / "uv", ["sha256:" + "0" * 64]), True, machine="x86_64",
                                 libc=(2, 36))
    finally:
        index.close()
    assert result == {"changed": True, "wheel": X86}
    assert index.requests == ["/simple/uv/"] and not (tmp_path / "uv").exists()


def test_a_malformed_pin_or_an_unreachable_index_fails_naming_it(tmp_path):
    bad = {"version": "0.13.9", "hashes": ["md5:abc"], "dest": str(tmp_path), "index_url": "http://127.0.0.1:9/simple",
           "ca_bundle": "", "timeout": 2}
    assert uv_host.install(bad)["msg"] == "hashes: 'md5:abc' is not sha256:<64 hex digits>"
    result = uv_host.install(dict(bad, hashes=["sha256:" + "0" * 64]), machine="x86_64", libc=(2, 36))
    assert result["failed"] and result["msg"].startswith("cannot fetch http://127.0.0.1:9/simple/uv/")


def test_a_wheel_without_the_uv_binary_is_refused(tmp_path):
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("uv/__init__.py", "")
    body = data.getvalue()
    index = Index(body)
    try:
        result = uv_host.install(params(index, tmp_path / "uv", ["sha256:" + hashlib.sha256(body).hexdigest()]),
                                 machine="x86_64", libc=(2, 36))
    finally:
        index.close()
    assert result == {"failed": True, "msg": "the wheel holds no uv binary in its .data/scripts"}
