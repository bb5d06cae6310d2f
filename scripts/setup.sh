#!/usr/bin/env bash
# Everything a fresh Debian machine needs to run the demo and the tests:
# a Docker engine (installed and started if none answers), debootstrap, openssl, the
# pinned Python tools in .venv, the pinned collections, and the base images.
# Safe to run again: each step checks before it acts.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

apt_install() {
  local missing=()
  for pkg in "$@"; do dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

ensure_docker() {
  if docker info >/dev/null 2>&1; then return 0; fi
  command -v dockerd >/dev/null 2>&1 || apt_install docker.io
  if ! pgrep -x dockerd >/dev/null; then
    log "starting dockerd"
    as_root sh -c 'nohup dockerd >/var/log/dockerd.log 2>&1 &'
  fi
  for _ in $(seq 60); do docker info >/dev/null 2>&1 && return 0; sleep 1; done
  echo "the Docker engine did not answer within 60 s; see /var/log/dockerd.log" >&2
  exit 1
}

ensure_venv() {
  local stamp=.venv/.requirements.sha
  local want; want=$(sha256sum requirements.txt | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  log "installing the pinned Python tools into .venv"
  python3 -m venv .venv
  .venv/bin/pip install -q --upgrade pip >/dev/null
  .venv/bin/pip install -q -r requirements.txt
  echo "$want" > "$stamp"
}

ensure_docker
command -v debootstrap >/dev/null 2>&1 || apt_install debootstrap
# The tests probe the hosts' TLS from the controller with openssl s_client.
command -v openssl >/dev/null 2>&1 || apt_install openssl
ensure_venv
log "checking collections (requirements.yml)"
.venv/bin/ansible-galaxy collection install -r requirements.yml >/dev/null
for distro in ${DISTROS:-debian12 debian13}; do
  log "base image $distro"
  scripts/build-image.sh "$distro" >/dev/null
done
log "set-up done"
