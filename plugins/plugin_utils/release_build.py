# -*- coding: utf-8 -*-
# Copyright: pywebstack maintainers
# MIT License (see galaxy.yml)
"""One release archive of an app, built on the controller: the same bytes for every host.
The action plugin pywebstack.webstack.app_build runs it in its own process (no command,
no interpreter started), and its tests import it.

From a directory (the repository's app/ or a git checkout) it writes a reproducible
tar.gz (sorted members, mtime 0, root-owned, no .git, __pycache__ or *.pyc) named by
its content, so an unchanged source gives the same release id and a re-run deploys
nothing. A built archive is used as it is, named by its sha256.

It also reads how the release's dependencies are installed, the way pip reads them:
the requirements file (with its -r includes, line continuations, --hash options,
extras and markers) when the release has one; else the project itself when it has a
pyproject.toml or setup.py. Returns one record:
  {"id", "archive", "install": "requirements" | "project" | "none",
   "project": bool, "hashes": bool, "unpinned": [requirements that pin no one version]}
A source that cannot be built raises BuildError, whose message says why.
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import io
import os
import re
import shlex
import tarfile
import tempfile
import tomllib

SKIP_DIRS = {".git", "__pycache__", ".venv", "venv", "node_modules"}
SKIP_SUFFIXES = (".pyc", ".pyo")
# Options pip accepts in a requirements file that take a value and name no package.
VALUE_OPTIONS = {"-i", "--index-url", "--extra-index-url", "-f", "--find-links", "--trusted-host",
                 "--no-binary", "--only-binary", "--use-feature", "--config-settings"}
FLAG_OPTIONS = {"--pre", "--prefer-binary", "--require-hashes", "--no-index"}


class BuildError(ValueError):
    """The release cannot be built; the message names the path and why."""


class Files:
    """The release's files, from a directory or an archive, by path relative to its top."""

    def __init__(self, directory=None, archive=None):
        self.directory, self.members = directory, None
        if archive is not None:
            self.members = {}
            for member in archive.getmembers():
                name = os.path.normpath(member.name)
                if name.startswith("/") or ".." in name.split("/"):
                    raise BuildError(f"archive member {member.name} escapes the release directory")
                if member.isfile():
                    self.members[name] = archive.extractfile(member).read()

    def read(self, path: str):
        if self.members is not None:
            data = self.members.get(os.path.normpath(path))
            return None if data is None else data.decode("utf-8")
        full = os.path.join(self.directory, path)
        if not os.path.isfile(full):
            return None
        with open(full, encoding="utf-8") as handle:
            return handle.read()


def logical_lines(text: str):
    """pip's reading: a trailing backslash joins lines; ' #' or a leading '#' starts a comment."""
    joined, buffer = [], ""
    for raw in text.splitlines():
        if raw.endswith("\\"):
            buffer += raw[:-1] + " "
            continue
        joined.append(buffer + raw)
        buffer = ""
    if buffer:
        joined.append(buffer)
    for line in joined:
        line = re.sub(r"(^|\s)#.*$", "", line).strip()
        if line:
            yield line


def pinned(requirement: str) -> bool:
    """One version exactly: name==1.2 or name===1.2 (markers, extras allowed), or a direct
    reference that names one artifact (a hash in the URL or a full VCS commit)."""
    # packaging comes with ansible-core; imported here, when a release has requirements.
    from packaging.requirements import InvalidRequirement, Requirement  # pylint: disable=import-outside-toplevel

    try:
        req = Requirement(requirement)
    except InvalidRequirement:
        return False
    if req.url:
        return bool(re.search(r"#(sha256|sha384|sha512)=[0-9a-f]+|@[0-9a-f]{40}\b", req.url))
    specs = list(req.specifier)
    return len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version


def read_requirements(files: Files, path: str, seen: set, found: dict) -> None:
    """Collect the requirements of PATH and the files it includes with -r/-c."""
    norm = os.path.normpath(path)
    if norm in seen:
        return
    seen.add(norm)
    text = files.read(norm)
    if text is None:
        raise BuildError(f"{norm} is included by the requirements but the release has no such file")
    for line in logical_lines(text):
        words = shlex.split(line)
        first = words[0]
        if first in ("-r", "--requirement", "-c", "--constraint") or re.match(r"--(requirement|constraint)=", first):
            target = words[1] if "=" not in first else first.split("=", 1)[1]
            # Constraints pin without installing; only their own lines are not requirements.
            if first.startswith(("-r", "--requirement")):
                read_requirements(files, os.path.join(os.path.dirname(norm), target), seen, found)
            continue
        if first in ("-e", "--editable") or first.startswith("--editable="):
            found["unpinned"].append(line)
            continue
        if first.split("=", 1)[0] in VALUE_OPTIONS or first in FLAG_OPTIONS:
            continue
        requirement, _sep, options = line.partition(" --")
        options = " --" + options if options else ""
        if "--hash" in options:
            found["hashes"] = True
        if not pinned(requirement.strip()):
            found["unpinned"].append(requirement.strip())


def project_dependencies(files: Files) -> list:
    """The unpinned dependencies a pyproject.toml declares; a setup.py or dynamic list is unknown."""
    text = files.read("pyproject.toml")
    project = tomllib.loads(text).get("project", {}) if text is not None else {}
    if not project or "dependencies" in project.get("dynamic", []):
        return ["(the project's dependencies are computed by its build, so no pin can be checked)"]
    return [dep for dep in project.get("dependencies", []) if not pinned(dep)]


def install_plan(files: Files, requirements: str) -> dict:
    plan = {"install": "none", "project": False, "hashes": False, "unpinned": []}
    plan["project"] = files.read("pyproject.toml") is not None or files.read("setup.py") is not None
    if requirements and files.read(requirements) is not None:
        plan["install"] = "requirements"
        read_requirements(files, requirements, set(), plan)
    elif plan["project"]:
        plan["install"] = "project"
        plan["unpinned"] = project_dependencies(files)
    elif requirements:
        raise BuildError(
            f"the release has no {requirements}, pyproject.toml or setup.py "
            "(set app_requirements_file to '' for an app that needs no packages)"
        )
    return plan


def members(source: str):
    for root, dirs, names in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(names):
            if name.endswith(SKIP_SUFFIXES):
                continue
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            yield os.path.relpath(path, source), path


def build_from_dir(source: str, out: str, requirements: str) -> dict:
    if not os.path.isdir(source):
        raise BuildError(f"source directory {source} does not exist")
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.GNU_FORMAT) as tar:
        seen_dirs = set()
        for rel, path in members(source):
            parts = rel.split(os.sep)[:-1]
            for depth in range(1, len(parts) + 1):
                directory = "/".join(parts[:depth])
                if directory not in seen_dirs:
                    seen_dirs.add(directory)
                    info = tarfile.TarInfo(directory)
                    info.type, info.mode = tarfile.DIRTYPE, 0o755
                    tar.addfile(info)
            info = tarfile.TarInfo(rel.replace(os.sep, "/"))
            info.mode = 0o755 if os.access(path, os.X_OK) else 0o644
            with open(path, "rb") as handle:
                data = handle.read()
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    digest = hashlib.sha256(raw.getvalue()).hexdigest()[:12]
    os.makedirs(out, exist_ok=True)
    archive = os.path.join(out, f"{digest}.tar.gz")
    if not os.path.exists(archive):
        # A name of its own for each writer: two runs on one controller building the same
        # release at once (two inventories, two CI lanes) each rename whole bytes over it.
        handle, partial = tempfile.mkstemp(dir=out, prefix=f".{digest}.", suffix=".partial")
        try:
            with os.fdopen(handle, "wb") as stream:
                with gzip.GzipFile(fileobj=stream, mode="wb", mtime=0) as gz:
                    gz.write(raw.getvalue())
            os.chmod(partial, 0o644)
            os.replace(partial, archive)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(partial)
            raise
    return {"id": digest, "archive": archive, **install_plan(Files(directory=source), requirements)}


def use_archive(archive: str, requirements: str) -> dict:
    if not os.path.isfile(archive):
        raise BuildError(f"release archive {archive} does not exist")
    sha = hashlib.sha256()
    with open(archive, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    try:
        with tarfile.open(archive) as tar:
            plan = install_plan(Files(archive=tar), requirements)
    except tarfile.TarError as exc:
        raise BuildError(f"{archive} is not a tar archive: {exc}") from exc
    return {"id": sha.hexdigest()[:12], "archive": os.path.abspath(archive), **plan}
