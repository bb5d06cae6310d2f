"""Build one release archive of an app on the controller, the same bytes for every host.

Usage:
  build_release.py --source-dir DIR --out DIR [--requirements FILE]
  build_release.py --archive FILE [--requirements FILE]

From a directory (the repository's app/ or a git checkout) it writes a reproducible
tar.gz (sorted members, mtime 0, root-owned, no .git, __pycache__ or *.pyc) named by
its content, so an unchanged source gives the same release id and a re-run deploys
nothing. A built archive is used as it is, named by its sha256. Prints one JSON
object: {"id", "archive", "requirements"} (the pinned lines of the requirements file).
"""

import argparse
import gzip
import hashlib
import io
import json
import os
import sys
import tarfile

SKIP_DIRS = {".git", "__pycache__", ".venv", "venv", "node_modules"}
SKIP_SUFFIXES = (".pyc", ".pyo")


def requirement_lines(text: str) -> list:
    lines = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            lines.append(line)
    return lines


def members(source: str):
    for root, dirs, files in os.walk(source):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        for name in sorted(files):
            if name.endswith(SKIP_SUFFIXES):
                continue
            path = os.path.join(root, name)
            if os.path.islink(path) or not os.path.isfile(path):
                continue
            yield os.path.relpath(path, source), path


def build_from_dir(source: str, out: str, requirements: str) -> dict:
    if not os.path.isdir(source):
        raise SystemExit(f"source directory {source} does not exist")
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
        partial = archive + ".partial"
        with open(partial, "wb") as handle:
            with gzip.GzipFile(fileobj=handle, mode="wb", mtime=0) as gz:
                gz.write(raw.getvalue())
        os.replace(partial, archive)
    req_path = os.path.join(source, requirements) if requirements else ""
    reqs = []
    if req_path:
        if not os.path.isfile(req_path):
            raise SystemExit(f"{req_path} does not exist (set app_requirements_file to '' for none)")
        with open(req_path, encoding="utf-8") as handle:
            reqs = requirement_lines(handle.read())
    return {"id": digest, "archive": archive, "requirements": reqs}


def use_archive(archive: str, requirements: str) -> dict:
    if not os.path.isfile(archive):
        raise SystemExit(f"release archive {archive} does not exist")
    sha = hashlib.sha256()
    with open(archive, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            sha.update(block)
    reqs = []
    try:
        with tarfile.open(archive) as tar:
            names = {m.name.lstrip("./"): m for m in tar.getmembers()}
            for name in names:
                if name.startswith("/") or ".." in name.split("/"):
                    raise SystemExit(f"{archive}: member {name} escapes the release directory")
            if requirements:
                member = names.get(requirements)
                if member is None:
                    raise SystemExit(f"{archive} has no {requirements} at its top level")
                reqs = requirement_lines(tar.extractfile(member).read().decode("utf-8"))
    except tarfile.TarError as exc:
        raise SystemExit(f"{archive} is not a tar archive: {exc}") from exc
    return {"id": sha.hexdigest()[:12], "archive": os.path.abspath(archive), "requirements": reqs}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--source-dir")
    parser.add_argument("--archive")
    parser.add_argument("--out")
    parser.add_argument("--requirements", default="requirements.txt")
    args = parser.parse_args()
    if args.archive:
        result = use_archive(args.archive, args.requirements)
    else:
        result = build_from_dir(args.source_dir, os.path.expanduser(args.out), args.requirements)
    json.dump(result, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
