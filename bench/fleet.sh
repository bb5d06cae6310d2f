#!/usr/bin/env bash
# What a fleet costs: one web host in front of N fresh app hosts (split tiers), set up the
# way a user copies inventory/cluster: its group_vars (the vault is the demo's), each host's
# `private_address` in host_vars, every host reached over SSH as a passwordless sudoer.
# Part of `make bench`, not of `make test`. For each N in BENCH_FLEET_SIZES ("1 10"), 1+N
# fresh Debian 12 containers (pywebstack-fleet-web, pywebstack-fleet-app1..N) on a Docker
# network of their own (pywebstack-fleet, 172.30.98.0/24, fixed addresses; the web host
# .10, app host i .10+i), sshd and the web host's HTTP(S) published on 127.0.0.1 only; then
#   - the first converge (site.yml),
#   - a no-change re-run of site.yml (its recap must say changed=0 for every host),
#   - a rolling playbooks/deploy.yml (-e deploy_serial=BENCH_FLEET_SERIAL, 2; a batch that holds
#     the whole tier is not drained, it reloads in place) of a changed release, while scripts/loadgen.py
#     sends 20 requests/s over 4 connections to the web host through Nginx.
# Each run: its wall time, the controller's CPU (ansible-playbook and everything it starts,
# its SSH masters included: bench/cputime.py) and the hosts' CPU (the sum of the containers'
# cgroup CPU time). uWSGI's wheel cache (BENCH_FLEET_WHEELS): by default an empty one for
# each fleet, so every app host of a first fleet compiles uWSGI; a directory instead (e.g.
# ~/.cache/pywebstack/wheels, the role's default) measures a controller that has the wheel.
# The fleet is removed before the next size and at exit (BENCH_KEEP=1 keeps the last one and
# the work directory). Prints a Markdown table and writes bench/results/fleet.md; exits 1
# if a no-change re-run changed anything.
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-fleet
distro=debian12
read -r -a sizes <<< "${BENCH_FLEET_SIZES:-1 10}"
serial=${BENCH_FLEET_SERIAL:-2}
wheels=${BENCH_FLEET_WHEELS:-}
network=pywebstack-fleet
subnet=172.30.98
rate=20
[ "${#sizes[@]}" -gt 0 ] || { echo "fleet: BENCH_FLEET_SIZES is empty" >&2; exit 2; }
for n in "${sizes[@]}"; do
  [[ $n =~ ^[1-9][0-9]*$ && $n -le 200 ]] || { echo "fleet: BENCH_FLEET_SIZES wants sizes from 1 to 200, not '$n'" >&2; exit 2; }
done
[[ $serial =~ ^[1-9][0-9]*$ ]] || { echo "fleet: BENCH_FLEET_SERIAL must be at least 1" >&2; exit 2; }
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
# shellcheck source=bench/lib.sh
. bench/lib.sh
die() { echo "fleet: $*" >&2; exit 1; }

fleet_down() {  # the fleet's containers and network, whatever size is left
  local names
  names=$(docker ps -a --format '{{.Names}}' | grep -E "^$name-(web|app[0-9]+)$" || true)
  # shellcheck disable=SC2086 # one name per word
  [ -z "$names" ] || docker rm -f $names >/dev/null
  docker network rm "$network" >/dev/null 2>&1 || true
}
gen=
bench_cleanup() {  # at exit (bench_init's trap): the load generator, the fleet, $work
  [ -z "$gen" ] || kill "$gen" 2>/dev/null || true
  if [ -n "${BENCH_KEEP:-}" ]; then
    log "kept: the last fleet and $work (its inventory: $work/fleet-*)"
  else
    fleet_down
    rm -rf "$work"
  fi
}
bench_init  # $out, $work, $image of $distro; bench_cleanup at exit
export ANSIBLE_NOCOLOR=1
forks=$(.venv/bin/ansible-config dump 2>/dev/null | sed -nE 's/^DEFAULT_FORKS\(.*\) = ([0-9]+)$/\1/p')

# fleet_up N: 1+N fresh hosts on their own network, and the inventory $work/fleet-N
fleet_up() {
  local n=$1 inv=$work/fleet-$1 host i pids=() pid
  fleet_down
  docker network create --subnet "$subnet.0/24" --gateway "$subnet.1" "$network" >/dev/null
  start_host "$name-web" "$image" --network "$network" --ip "$subnet.10" \
    -p 127.0.0.1::22 -p 127.0.0.1::80 -p 127.0.0.1::443 &
  pids+=($!)
  for i in $(seq "$n"); do
    # NET_ADMIN: the firewall role's nftables table, on the app hosts.
    start_host "$name-app$i" "$image" --network "$network" --ip "$subnet.$((10 + i))" \
      -p 127.0.0.1::22 --cap-add NET_ADMIN &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || die "a host of the fleet of $n did not start"; done

  mkdir -p "$inv/host_vars" "$work/ssh"
  ln -s "$PWD/inventory/cluster/group_vars" "$inv/group_vars"
  : > "$work/ssh/known_hosts"
  declare -A port
  for host in "$name-web" $(seq -f "$name-app%g" "$n"); do
    port[$host]=$(ssh_sudoer "$host" "$work/ssh/id_ed25519")
    ssh-keyscan -p "${port[$host]}" 127.0.0.1 >> "$work/ssh/known_hosts" 2>/dev/null
    i=${host#"$name-app"}; [ "$host" = "$name-web" ] && i=0
    printf -- '---\nprivate_address: %s\n' "$subnet.$((10 + i))" > "$inv/host_vars/$host.yml"
  done
  {
    echo "all:"
    echo "  children:"
    echo "    webservers:"
    echo "      hosts:"
    echo "        $name-web: {ansible_port: ${port[$name-web]}}"
    echo "    appservers:"
    echo "      hosts:"
    for i in $(seq "$n"); do echo "        $name-app$i: {ansible_port: ${port[$name-app$i]}}"; done
    echo "  vars:"
    echo "    ansible_host: 127.0.0.1"
    echo "    ansible_user: deploy"
    echo "    ansible_ssh_private_key_file: $work/ssh/id_ed25519"
    echo "    ansible_ssh_common_args: -o UserKnownHostsFile=$work/ssh/known_hosts"
  } > "$inv/hosts.yml"
  web_port=$(published_port "$name-web" 80)
}

hosts_cpu_usec() {  # hosts_cpu_usec N: the CPU time of the fleet of N's containers, summed
  local host total=0
  for host in "$name-web" $(seq -f "$name-app%g" "$1"); do
    total=$((total + $(cgroup_cpu_usec "$host")))
  done
  echo "$total"
}

# play N RUN PLAYBOOK [options]: one timed ansible-playbook run on the fleet of N; sets
# $wall, $cpu_ctl, $cpu_hosts (seconds) and $changed ("total (hosts that changed/hosts)"),
# $changed_total and $hosts_changed.
play() {
  local n=$1 run=$2 book=$3; shift 3
  local logfile=$work/fleet-$n-$run.log h0 h1 t0 t1 recap
  h0=$(hosts_cpu_usec "$n")
  t0=$(date +%s.%N)
  ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts-$n" .venv/bin/python bench/cputime.py "$work/cpu" \
    .venv/bin/ansible-playbook "$book" -i "$work/fleet-$n" --vault-password-file inventory/demo/vault-password.txt \
    -e "app_build_dir=$work/build" -e "app_source_dir=$work/app/" -e "uwsgi_wheel_cache=${wheels:-$work/wheels-$n}" "$@" \
    > "$logfile" 2>&1 || { tail -n 40 "$logfile" >&2; die "$run of the fleet of $n failed ($book)"; }
  t1=$(date +%s.%N)
  h1=$(hosts_cpu_usec "$n")
  wall=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }')
  cpu_ctl=$(awk '{ printf "%.1f", $1 + $2 }' "$work/cpu")
  cpu_hosts=$(awk -v a="$h0" -v b="$h1" 'BEGIN { printf "%.1f", (b - a) / 1e6 }')
  # The recap: one line per host, "name : ok=.. changed=.. ...".
  recap=$(awk '/^PLAY RECAP/ { on = 1; next } on && / : ok=/ { for (i = 1; i <= NF; i++) if ($i ~ /^changed=/) print $1, substr($i, 9) }' "$logfile")
  [ "$(wc -l <<< "$recap")" -eq $((n + 1)) ] || die "$run of the fleet of $n: the recap does not list its $((n + 1)) hosts (see $logfile)"
  changed_total=$(awk '{ s += $2 } END { print s + 0 }' <<< "$recap")
  hosts_changed=$(awk '$2 > 0' <<< "$recap" | wc -l)
  changed="$changed_total ($hosts_changed/$((n + 1)) hosts)"
}

loadgen() {  # loadgen OUT [options]: scripts/loadgen.py at the web host's site through Nginx
  local result=$1; shift
  .venv/bin/python scripts/loadgen.py "http://127.0.0.1:$web_port/healthz" --host localhost \
    --concurrency 4 --rate "$rate" --out "$result" "$@"
}
summary() {  # summary JSON FIELD: requests, failed (errors and non-2xx), slowest_ms, or hosts (how many answered)
  .venv/bin/python -c 'import json, sys
s = json.load(open(sys.argv[1]))
print({"requests": s["total"], "failed": s["failed"] + s["non_2xx"], "slowest_ms": s["slowest_ms"], "hosts": len(s["hosts"])}[sys.argv[2]])' "$1" "$2"
}

log "the app: a copy of app/flask in $work/app"
cp -r app/flask "$work/app"
: > "$work/rows"
noop_changed=0
for n in "${sizes[@]}"; do
  batch=$serial
  log "fleet of 1 web + $n app hosts: starting the containers on $network ($subnet.0/24)"
  fleet_up "$n"

  log "fleet of $n: first converge (site.yml)"
  play "$n" converge site.yml
  echo "$n|first converge (site.yml)|$wall|$changed|$cpu_ctl|$cpu_hosts|||" >> "$work/rows"

  log "fleet of $n: no-change re-run (site.yml)"
  play "$n" rerun site.yml
  echo "$n|no-change re-run (site.yml)|$wall|$changed|$cpu_ctl|$cpu_hosts|||" >> "$work/rows"
  [ "$changed_total" -eq 0 ] || { noop_changed=1; log "fleet of $n: the no-change re-run changed $changed (see $work/fleet-$n-rerun.log)"; }

  log "fleet of $n: every app host answers through the web host"
  loadgen "$work/spread-$n.json" --max-seconds 3 >&2
  [ "$(summary "$work/spread-$n.json" failed)" -eq 0 ] && [ "$(summary "$work/spread-$n.json" hosts)" -eq "$n" ] \
    || die "fleet of $n: not every app host answered through Nginx without failures (see $work/spread-$n.json)"

  log "fleet of $n: rolling deploy of a changed release (deploy_serial=$batch) under $rate requests/s"
  echo "# a changed release for the fleet of $n, $(date -u +%FT%TZ)" >> "$work/app/manage.py"
  rm -f "$work/stop"
  loadgen "$work/deploy-$n.json" --max-seconds 3600 --stop-file "$work/stop" >&2 &
  gen=$!
  sleep 2
  play "$n" deploy playbooks/deploy.yml -e "deploy_serial=$batch"
  sleep 2
  touch "$work/stop"
  wait "$gen"
  gen=
  echo "$n|rolling deploy (deploy.yml, serial $batch)|$wall|$changed|$cpu_ctl|$cpu_hosts|$(summary "$work/deploy-$n.json" requests)|$(summary "$work/deploy-$n.json" failed)|$(summary "$work/deploy-$n.json" slowest_ms)" >> "$work/rows"

  if [ -z "${BENCH_KEEP:-}" ] || [ "$n" != "${sizes[-1]}" ]; then fleet_down; fi
done

{
  echo "## A fleet: one web host in front of N app hosts, split tiers (inventory/cluster)"
  echo
  echo "Run $(date -u +%FT%TZ) by \`bench/fleet.sh\` on $(nproc) cores, load average before: $load_before."
  echo "Hosts: fresh $distro containers on one Docker network, over SSH as a sudoer from 127.0.0.1; Ansible forks: ${forks:-?};"
  echo "uWSGI's wheel cache: $([ -n "$wheels" ] && echo "\`$wheels\`" || echo "empty for each fleet (one app host compiles uWSGI, the others take its wheel)")."
  echo "The deploy runs under scripts/loadgen.py, $rate requests/s over 4 connections to /healthz through Nginx; failed = errors + non-2xx."
  echo "deploy.yml drains a batch from Nginx's upstream, unless the batch holds every app host: then they reload in place."
  echo "CPU: the controller's is ansible-playbook's and every process it started; the hosts' is the containers' cgroup CPU time, summed."
  echo
  echo "| App hosts | Run | Wall s | Changed (hosts) | Controller CPU s | Hosts CPU s | Requests | Failed | Slowest ms |"
  echo "| ---: | --- | ---: | --- | ---: | ---: | ---: | ---: | ---: |"
  while IFS='|' read -r n run w c cc ch req failed slowest; do
    echo "| $n | $run | $w | $c | $cc | $ch | ${req:--} | ${failed:--} | ${slowest:--} |"
  done < "$work/rows"
} | tee "$out/fleet.md"
[ "$noop_changed" -eq 0 ] || die "a no-change re-run changed something (see the table)"
