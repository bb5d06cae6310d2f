#!/usr/bin/env bash
# Build a Debian base image with systemd as PID 1 from Debian's own packages
# (debootstrap + docker import): no container registry is needed.
# Usage: scripts/build-image.sh debian12|debian13   -> prints the image tag.
# Images are cached by a tag that hashes this script, so a second run is instant
# and an edit here rebuilds.
set -euo pipefail

distro=${1:?usage: $0 debian12|debian13}
case "$distro" in
  debian12) suite=bookworm ;;
  debian13) suite=trixie ;;
  *) echo "unknown distro '$distro' (want debian12 or debian13)" >&2; exit 2 ;;
esac
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
rev=$(sha256sum "$0" | cut -c1-10)
tag="pywebstack-base:${distro}-${rev}"

# Molecule's platforms name the stable tag; it always points at the current build.
if docker image inspect "$tag" >/dev/null 2>&1; then
  docker tag "$tag" "pywebstack-base:${distro}"
  echo "$tag"
  exit 0
fi

root=$(mktemp -d /var/tmp/pywebstack-rootfs.XXXXXX)
trap 'rm -rf "$root"' EXIT
echo "building $tag from $suite ($mirror)" >&2
# A minimal server: systemd, Python 3 for Ansible, sshd and sudo for the way ops reach it,
# and what the tests read (ss, pgrep, curl). Everything the roles need is left out on
# purpose: the roles install it (and need neither python3-apt nor acl).
debootstrap --variant=minbase \
  --include=systemd,systemd-sysv,dbus,python3,ca-certificates,iproute2,procps,curl,sudo,openssh-server \
  "$suite" "$root" "$mirror" >&2

cat > "$root/etc/apt/sources.list" <<SRC
deb $mirror $suite main
deb $mirror $suite-updates main
deb http://deb.debian.org/debian-security $suite-security main
SRC
# debootstrap takes the release's packages only; Debian's installer (and a cloud image
# built today) also applies the security and stable updates, so a server installed today
# has them. Without them the first package the roles install that is tied to an updated
# one (libpython3.11 to python3.11) upgrades the interpreter and byte-compiles its library
# on every fresh host, which no real fresh server pays.
mount -t proc proc "$root/proc"
trap 'umount "$root/proc" 2>/dev/null || true; rm -rf "$root"' EXIT
chroot "$root" apt-get -q update >&2
DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get -q -y -o Dpkg::Options::=--force-confold upgrade >&2
chroot "$root" apt-get clean
umount "$root/proc"
# A container has no consoles or hardware to wait for.
for unit in getty.target console-getty.service systemd-udevd.service \
            systemd-udev-trigger.service systemd-firstboot.service \
            systemd-modules-load.service sys-kernel-config.mount; do
  ln -sf /dev/null "$root/etc/systemd/system/$unit"
done
: > "$root/etc/machine-id"
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
# No package lists in the image: date them old so `apt: cache_valid_time` refreshes them.
touch -d @0 "$root/var/lib/apt/lists"

tar -C "$root" -c . | docker import \
  --change 'ENV container=docker' \
  --change 'CMD ["/lib/systemd/systemd"]' \
  - "$tag" >&2
docker tag "$tag" "pywebstack-base:${distro}"
echo "$tag"
