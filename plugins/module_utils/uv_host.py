# Copyright: (c) 2026, pywebstack maintainers
# MIT License (see galaxy.yml)
# SPDX-License-Identifier: MIT
"""The work of the uv_install module (standard library only: its action runs it with the
host's Python directly, plugin_utils/host_work.py): uv's wheel for this host from the
index's simple API, its bytes checked against the pinned hashes, its two binaries put in
place. What pip did for it, without pip: one download, no virtualenv, no resolver."""

from __future__ import annotations

import hashlib
import html.parser
import io
import json
import os
import platform
import re
import ssl
import urllib.parse
import urllib.request
import zipfile

from ansible_collections.pywebstack.webstack.plugins.module_utils.file_host import Refused, settle, taking_turns

SPEC = {
    "version": {"type": "str", "required": True},
    "hashes": {"type": "list", "elements": "str", "required": True, "no_log": False},
    "dest": {"type": "path", "required": True},
    "index_url": {"type": "str", "default": "https://pypi.org/simple"},
    "ca_bundle": {"type": "str", "default": ""},
    "timeout": {"type": "int", "default": 60},
}

# The index answers in JSON (PEP 691) when it can, else in HTML (PEP 503).
ACCEPT = "application/vnd.pypi.simple.v1+json, text/html;q=0.1"
# The older manylinux names, as the glibc they stand for (PEP 600).
LEGACY = {"manylinux1": (2, 5), "manylinux2010": (2, 12), "manylinux2014": (2, 17)}
BINARIES = ("uv", "uvx")


class _Links(html.parser.HTMLParser):
    """The anchors of a PEP 503 page: (file name, href)."""

    def __init__(self):
        super().__init__()
        self.links, self._href, self._text = [], None, []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            self._href, self._text = dict(attrs).get("href"), []

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append(("".join(self._text).strip(), self._href))
            self._href = None


def files(body: bytes, content_type: str, page: str) -> list:
    """The project page's files as (file name, absolute url)."""
    if "json" in content_type:
        found = [(item["filename"], item["url"]) for item in json.loads(body)["files"]]
    else:
        parser = _Links()
        parser.feed(body.decode("utf-8", "replace"))
        found = parser.links
    return [(name, urllib.parse.urljoin(page, url).split("#", 1)[0]) for name, url in found]


def glibc() -> tuple | None:
    """This host's glibc version, None on another libc."""
    found = re.match(r"glibc (\d+)\.(\d+)", os.confstr("CS_GNU_LIBC_VERSION") or "")
    return (int(found.group(1)), int(found.group(2))) if found else None


def fit(name: str, version: str, machine: str, libc: tuple | None) -> tuple | None:
    """How well the wheel named `name` fits this host, higher is better (the newest glibc
    it asks for); None when it is not uv `version`'s wheel or cannot run here."""
    parts = name[:-len(".whl")].split("-") if name.endswith(".whl") else []
    if len(parts) not in (5, 6) or parts[0].lower() != "uv" or parts[1] != version or libc is None:
        return None
    best = None
    for tag in parts[-1].split("."):
        found = re.fullmatch(r"manylinux_(\d+)_(\d+)_(\w+)", tag)
        if found:
            wants, arch = (int(found.group(1)), int(found.group(2))), found.group(3)
        else:
            legacy, _sep, arch = tag.partition("_")
            if legacy not in LEGACY:
                continue
            wants = LEGACY[legacy]
        if arch == machine and wants <= libc and (best is None or wants > best):
            best = wants
    return best


def pick(found: list, version: str, machine: str, libc: tuple | None) -> tuple:
    """The (name, url) of the wheel that fits this host best; Refused naming what the index had."""
    fitting = [(fit(name, version, machine, libc), name, url) for name, url in found]
    fitting = sorted((item for item in fitting if item[0] is not None), reverse=True)
    if not fitting:
        wheels = sorted(name for name, _url in found if name.startswith(f"uv-{version}-"))
        raise Refused(f"the index has no wheel of uv {version} for this host ({machine}, glibc "
                      f"{'.'.join(map(str, libc)) if libc else 'none'}); its wheels of {version}: {wheels or 'none'}")
    return fitting[0][1], fitting[0][2]


def fetch(url: str, params: dict, accept: str = "*/*") -> tuple:
    """(body, content type) of url, with the CA bundle and timeout of params."""
    context = ssl.create_default_context(cafile=params["ca_bundle"] or None)
    # An opener as urllib's default one (proxies from the environment, redirects), with the CA bundle.
    opener = urllib.request.build_opener(urllib.request.HTTPSHandler(context=context))
    request = urllib.request.Request(url, headers={"Accept": accept, "User-Agent": "pywebstack-uv-install"})
    try:
        with opener.open(request, timeout=params["timeout"]) as answer:
            return answer.read(), answer.headers.get("Content-Type", "")
    except (OSError, ValueError) as error:  # URLError, HTTPError, timeouts are OSErrors
        raise Refused(f"cannot fetch {url}: {error}") from error


def binaries(wheel: bytes) -> dict:
    """uv's binaries in the wheel's data scripts: {name: bytes}."""
    with zipfile.ZipFile(io.BytesIO(wheel)) as archive:
        found = {os.path.basename(member): member for member in archive.namelist()
                 if re.fullmatch(r"[^/]+\.data/scripts/[^/]+", member) and os.path.basename(member) in BINARIES}
        if "uv" not in found:
            raise Refused("the wheel holds no uv binary in its .data/scripts")
        return {name: archive.read(member) for name, member in found.items()}


def install(params: dict, check_mode: bool = False, machine: str | None = None, libc=False) -> dict:
    """Install uv `version` into dest/bin: the index's wheel for this host, refused unless
    its sha256 is one of `hashes`."""
    pins = set()
    for pin in params["hashes"]:
        algorithm, _sep, digest = pin.partition(":")
        if algorithm != "sha256" or not re.fullmatch(r"[0-9a-f]{64}", digest):
            return {"failed": True, "msg": f"hashes: {pin!r} is not sha256:<64 hex digits>"}
        pins.add(digest)
    machine = machine or platform.machine()
    libc = glibc() if libc is False else libc
    index = params["index_url"].rstrip("/") + "/"
    page = urllib.parse.urljoin(index, "uv/")
    try:
        body, content_type = fetch(page, params, ACCEPT)
        name, url = pick(files(body, content_type, page), params["version"], machine, libc)
        if check_mode:
            return {"changed": True, "wheel": name}
        wheel, _type = fetch(url, params)
        digest = hashlib.sha256(wheel).hexdigest()
        if digest not in pins:
            raise Refused(f"{name} from {url} has sha256:{digest}, which is none of hashes (python_uv_hashes): "
                          "refused, nothing installed")
        found = binaries(wheel)
        bindir = os.path.join(params["dest"], "bin")
        os.makedirs(bindir, mode=0o755, exist_ok=True)
        changed = False
        with taking_turns(bindir, False):
            for binary in BINARIES:
                if binary in found:
                    # The installing user's (root's, under become), as pip's were.
                    changed |= settle(os.path.join(bindir, binary), found[binary], os.geteuid(), os.getegid(),
                                      0o755)["changed"]
    except Refused as error:
        return {"failed": True, "msg": str(error)}
    return {"changed": changed, "wheel": name, "sha256": digest, "path": os.path.join(bindir, "uv")}
