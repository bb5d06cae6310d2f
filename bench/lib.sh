# shellcheck shell=bash
# Sourced by the bench scripts: their set-up, a fresh systemd container, and a way in over
# SSH as a sudoer. The same container as the Molecule scenarios' (systemd as PID 1, no --privileged).

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

# bench_init: with $name (the script's container) and $distro set, the results directory
# $out, a work directory $work removed at exit with the container (unless BENCH_KEEP), the
# machine set up for $distro and its base image in $image. At exit it runs bench_cleanup,
# which a script with other containers defines again after bench_init.
bench_cleanup() {
  rm -rf "$work"
  [ -n "${BENCH_KEEP:-}" ] || docker rm -f "$name" >/dev/null 2>&1 || true
}
bench_init() {
  out=bench/results
  work=$(mktemp -d)
  trap bench_cleanup EXIT
  DISTROS=$distro scripts/setup.sh
  image=$(scripts/build-image.sh "$distro")
  mkdir -p "$out"
}

# bench_baseline SCRIPT REV: REV's files in $work/base (git archive) with this checkout's
# .venv, for a baseline way run beside this checkout's (cd "$work/base" to run it); exits
# with SCRIPT's name in the message when REV is not a commit.
bench_baseline() {
  local rev
  rev=$(git rev-parse --verify -q "$2^{commit}") || { echo "$1: the baseline '$2' is not a commit" >&2; exit 2; }
  mkdir -p "$work/base"
  git archive "$rev" | tar -x -C "$work/base"
  ln -s "$PWD/.venv" "$work/base/.venv"
}

# start_host NAME IMAGE [docker run options...]: a fresh container NAME running systemd,
# returned once systemd says it is up.
start_host() {
  local name=$1 image=$2; shift 2
  docker rm -f "$name" >/dev/null 2>&1 || true
  docker run -d --name "$name" --hostname "$name" --cap-add SYS_ADMIN --cgroupns=host \
    --security-opt seccomp=unconfined -v /sys/fs/cgroup:/sys/fs/cgroup:rw \
    --tmpfs /run --tmpfs /run/lock "$@" "$image" /lib/systemd/systemd >/dev/null
  local state
  for _ in $(seq 60); do
    state=$(docker exec "$name" systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) return 0 ;; esac
    sleep 1
  done
}

# published_port NAME PORT: the port on 127.0.0.1 that container NAME's PORT/tcp is published on.
published_port() {
  local port
  port=$(docker port "$1" "$2/tcp" | sed -nE 's/^127\.0\.0\.1:([0-9]+)$/\1/p' | head -n 1)
  [ -n "$port" ] || { echo "port $2 of $1 is not published on 127.0.0.1" >&2; return 1; }
  echo "$port"
}

# ssh_sudoer NAME KEY: on container NAME (started with -p 127.0.0.1::22), a user `deploy`
# with passwordless sudo who logs in with the private key file KEY (made now if missing),
# and sshd running; prints sshd's port on 127.0.0.1.
ssh_sudoer() {
  local name=$1 key=$2
  [ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C pywebstack-bench -f "$key"
  docker exec -i "$name" sh -ec '
    useradd -m -s /bin/bash deploy
    echo "deploy ALL=(ALL) NOPASSWD:ALL" > /etc/sudoers.d/deploy
    install -d -m 0700 -o deploy -g deploy /home/deploy/.ssh
    cat > /home/deploy/.ssh/authorized_keys
    chown deploy:deploy /home/deploy/.ssh/authorized_keys
    systemctl enable --now ssh >/dev/null 2>&1' < "$key.pub"
  published_port "$name" 22
}

# ssh_inventory NAME DIR: on container NAME (started with -p 127.0.0.1::22), a user
# `deploy` with passwordless sudo and a key made now; writes DIR/hosts.yml reaching NAME
# over SSH on 127.0.0.1 as that user, in both groups, and links the demo's group_vars.
ssh_inventory() {
  local name=$1 dir=$2 port
  mkdir -p "$dir"
  port=$(ssh_sudoer "$name" "$dir/id_ed25519")
  ssh-keyscan -p "$port" 127.0.0.1 > "$dir/known_hosts" 2>/dev/null
  ln -sfn "$PWD/inventory/demo/group_vars" "$dir/group_vars"
  cat > "$dir/hosts.yml" <<EOT
all:
  children: {webservers: {hosts: {$name: }}, appservers: {hosts: {$name: }}}
  vars:
    ansible_connection: ssh
    ansible_host: 127.0.0.1
    ansible_port: $port
    ansible_user: deploy
    ansible_ssh_private_key_file: $dir/id_ed25519
    ansible_ssh_common_args: -o UserKnownHostsFile=$dir/known_hosts
EOT
}

# cgroup_cpu_usec NAME: the CPU time container NAME has used so far, in microseconds: its
# cgroup's cpu.stat usage_usec (cgroup v2 with either of Docker's cgroup drivers, or the
# unified hierarchy of a hybrid v1 host), else cgroup v1's cpuacct.usage. Hierarchical:
# it counts everything the container's systemd started.
cgroup_cpu_usec() {
  local id f
  id=$(docker inspect -f '{{.Id}}' "$1")
  for f in "/sys/fs/cgroup/system.slice/docker-$id.scope/cpu.stat" "/sys/fs/cgroup/docker/$id/cpu.stat" \
           "/sys/fs/cgroup/unified/system.slice/docker-$id.scope/cpu.stat" "/sys/fs/cgroup/unified/docker/$id/cpu.stat"; do
    [ -r "$f" ] && awk '$1 == "usage_usec" { print $2; found = 1 } END { exit !found }' "$f" && return 0
  done
  for f in "/sys/fs/cgroup/cpuacct/docker/$id/cpuacct.usage" "/sys/fs/cgroup/cpuacct/system.slice/docker-$id.scope/cpuacct.usage"; do
    [ -r "$f" ] && { echo $(( $(cat "$f") / 1000 )); return 0; }
  done
  echo "no cgroup CPU accounting found for container $1 ($id)" >&2
  return 1
}
