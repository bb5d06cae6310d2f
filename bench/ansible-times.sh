#!/usr/bin/env bash
# How long site.yml takes when nothing changed, and a deploy of one changed release, over
# SSH as a sudoer (the way ops run it) beside Docker's connection as root (the tests' way).
# Part of `make bench`, not of `make test`. A fresh systemd container (pywebstack-times,
# sshd published on 127.0.0.1 only, a user `deploy` with passwordless sudo and a key made
# now) gets the demo with site.yml, then:
#   - BENCH_NOOP_RUNS (3) no-change re-runs over SSH, over SSH with Mitogen for Ansible
#     (only when requirements-mitogen.txt is installed in .venv), and over Docker's
#     connection, interleaved so that load on the machine hits all three alike;
#   - one deploy (playbooks/deploy.yml) of a changed release over SSH.
# Prints a Markdown section and writes it to bench/results/ansible-times.md; bench/run.sh
# is not needed for it. Medians are of the runs; each run's time is in brackets.
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-times
distro=${BENCH_DISTRO:-debian12}
runs=${BENCH_NOOP_RUNS:-3}
# shellcheck source=bench/lib.sh
. bench/lib.sh
die() { echo "ansible-times: $*" >&2; exit 1; }
bench_init  # $out, $work (removed at exit, with the container $name), $image of $distro
load_before=$(cut -d' ' -f1-3 /proc/loadavg)

log "fresh host $name from $image, sshd on 127.0.0.1"
start_host "$name" "$image" -p 127.0.0.1::22

# One inventory, two ways in: the demo's group_vars, the host over SSH or Docker's connection.
ssh_inventory "$name" "$work/ssh"
mkdir -p "$work/docker"
ln -s "$PWD/inventory/demo/group_vars" "$work/docker/group_vars"
cat > "$work/docker/hosts.yml" <<EOF
all:
  children: {webservers: {hosts: {$name: }}, appservers: {hosts: {$name: }}}
  vars: {ansible_connection: community.docker.docker}
EOF

mitogen=$(.venv/bin/python -c 'import ansible_mitogen, os; print(os.path.dirname(ansible_mitogen.__file__))' 2>/dev/null || true)
export ANSIBLE_NOCOLOR=1 ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts"
play() {  # play WAY LOG PLAYBOOK [options]: prints the wall time in seconds
  local way=$1 tag=$2 logfile=$work/$2.log book=$3; shift 3
  local inv=$way env=()
  [ "$way" = mitogen ] && inv=ssh && env=(ANSIBLE_STRATEGY_PLUGINS="$mitogen/plugins/strategy" ANSIBLE_STRATEGY=mitogen_linear)
  local t0 t1; t0=$(date +%s.%N)
  env "${env[@]}" .venv/bin/ansible-playbook "$book" -i "$work/$inv" \
    --vault-password-file inventory/demo/vault-password.txt "$@" > "$logfile" 2>&1 \
    || { tail -n 30 "$logfile" >&2; die "$book over $way failed"; }
  t1=$(date +%s.%N)
  grep -qE "^$name +: .* changed=0 " "$logfile" || [ "$tag" = fresh ] || [ "${book##*/}" = deploy.yml ] \
    || die "$book over $way changed something on a no-change re-run (see $logfile)"
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

log "fresh converge over SSH"
fresh=$(play ssh fresh site.yml)
ways=(ssh docker); [ -n "$mitogen" ] && ways=(ssh mitogen docker)
declare -A times
for i in $(seq "$runs"); do
  for way in "${ways[@]}"; do
    log "no-change re-run $i/$runs over $way"
    times[$way]+="$(play "$way" "noop-$way-$i" site.yml) "
  done
done

log "one changed release over SSH (playbooks/deploy.yml)"
cp -r app/flask "$work/release"
echo "# a changed release, $(date -u +%FT%TZ)" >> "$work/release/manage.py"
deploy=$(play ssh deploy playbooks/deploy.yml -e "app_source_dir=$work/release/")

median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
label() { case $1 in ssh) echo "SSH as a sudoer";; mitogen) echo "SSH as a sudoer, Mitogen";; docker) echo "Docker's connection, root";; esac; }
{
  echo "## Ansible: no-change re-run and one changed release"
  echo
  echo "Run $(date -u +%FT%TZ) by \`bench/ansible-times.sh\` on $(nproc) cores, load average before: ${load_before}."
  echo "Host: a fresh $distro container; the demo inventory; fresh converge over SSH: ${fresh} s."
  echo
  echo "| site.yml, nothing changed | Median of $runs | Each run | Target |"
  echo "| --- | ---: | --- | --- |"
  for way in "${ways[@]}"; do
    echo "| $(label "$way") | $(median "${times[$way]}") s | ${times[$way]% } | $([ "$way" = docker ] || echo '<= 15 s') |"
  done
  echo
  echo "playbooks/deploy.yml with one changed release, over SSH: ${deploy} s."
} | tee "$out/ansible-times.md"
