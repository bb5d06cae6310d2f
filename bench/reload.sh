#!/usr/bin/env bash
# What a reload does to the requests in flight on one host: the slowest request and the
# failed ones while uWSGI reloads an app whose import takes DEMO_IMPORT_SECONDS (1.5 s, a
# Django project with many apps), the defaults (a chain reload: workers replaced one at a
# time, lazy-apps) side by side with the behaviour before it (uwsgi_chain_reload: false,
# touch-reload: every worker stops, the master re-executes and imports).
# Part of `make bench`, not of `make test`. A fresh systemd container (pywebstack-reload)
# gets the demo with site.yml and inventory/demo; then for BENCH_RELOAD_ROUNDS (3) rounds,
# each variant in turn (the second round in reverse order), its ini is put in place, and
# scripts/loadgen.py (4 clients, 40 requests/s, from the controller to the container's
# address, nothing else) runs while the reload file is touched and until every worker was
# replaced. Prints a Markdown table and writes bench/results/reload.md.
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-reload
distro=${BENCH_DISTRO:-debian12}
rounds=${BENCH_RELOAD_ROUNDS:-3}
import_seconds=${DEMO_IMPORT_SECONDS:-1.5}
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_init  # $out, $work (removed at exit, with the container $name), $image of $distro

log "fresh host $name from $image"
start_host "$name" "$image"

mkdir -p "$work/inventory"
ln -s "$PWD/inventory/demo/group_vars" "$work/inventory/group_vars"
cat > "$work/inventory/hosts.yml" <<EOF
all:
  children: {webservers: {hosts: {$name: }}, appservers: {hosts: {$name: }}}
  vars: {ansible_connection: community.docker.docker}
EOF
export ANSIBLE_NOCOLOR=1 ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts"
deploy() {  # deploy CHAIN(true|false): the demo, its import taking $import_seconds
  .venv/bin/ansible-playbook site.yml -i "$work/inventory" --vault-password-file inventory/demo/vault-password.txt \
    -e "{\"uwsgi_chain_reload\": $1, \"app_build_dir\": \"$work/build\",
         \"apps\": [{\"name\": \"demo\", \"static_dir\": \"demo/static\",
                     \"environment\": {\"DEMO_IMPORT_SECONDS\": \"$import_seconds\"},
                     \"secret_environment\": {\"DEMO_SECRET_KEY\": \"bench-only\"},
                     \"site\": {\"server_name\": [\"bench.localhost\"], \"unlimited\": [\"/healthz\"]}}]}" \
    > "$work/deploy-$1.log" 2>&1 || { tail -n 30 "$work/deploy-$1.log"; exit 1; }
}
log "deploying the demo (both variants' inis are kept for the rounds)"
deploy false
docker exec "$name" cp /etc/uwsgi/apps/demo.ini /root/whole.ini
deploy true
docker exec "$name" cp /etc/uwsgi/apps/demo.ini /root/chain.ini
address=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$name")

workers() {  # the worker pids of the instance, sorted
  docker exec "$name" sh -c 'pgrep -P "$(systemctl show -p MainPID --value uwsgi-demo)" | sort | tr "\n" " "'
}
measure() {  # measure VARIANT ROUND: one touch of the reload file under load
  local variant=$1 round=$2 result=$work/$1-$2.json before
  docker exec "$name" sh -c "cp /root/$variant.ini /etc/uwsgi/apps/demo.ini && systemctl restart uwsgi-demo"
  sleep $(( ${import_seconds%.*} + 3 ))
  before=$(workers)
  rm -f "$work/stop"
  .venv/bin/python scripts/loadgen.py "http://$address/healthz" --host bench.localhost --concurrency 4 --rate 40 \
    --max-seconds 60 --stop-file "$work/stop" --out "$result" > /dev/null &
  local gen=$!
  sleep 2
  docker exec "$name" touch /srv/demo/reload
  # Until no worker from before the touch is left, then 2 s more.
  for _ in $(seq 40); do
    local now; now=$(workers)
    [ -n "$now" ] && ! grep -qwF -f <(tr ' ' '\n' <<< "$before" | sed '/^$/d') <<< "$now" && break
    sleep 0.5
  done
  sleep 2
  touch "$work/stop"
  wait "$gen"
  python3 -c "import json,sys; s=json.load(open('$result')); print('$variant', $round, s['total'], s['failed'] + s['non_2xx'], s['slowest_ms'])" \
    >> "$work/rows"
}
for round in $(seq "$rounds"); do
  order="chain whole"; [ $((round % 2)) = 0 ] && order="whole chain"
  for variant in $order; do
    log "round $round: $variant"
    measure "$variant" "$round"
  done
done

{
  echo "## A reload under load, one host ($(date -u +%Y-%m-%d), $(nproc) vCPUs)"
  echo
  echo "The demo importing for ${import_seconds} s; 4 clients, 40 requests/s to /healthz through Nginx;"
  echo "the reload file touched once per run, measured until every worker was replaced."
  echo
  echo "| variant | round | requests | failed | slowest (ms) |"
  echo "|---|---|---|---|---|"
  while read -r variant round total failed slowest; do
    label=$([ "$variant" = chain ] && echo "defaults (chain reload)" || echo "before (whole instance, touch-reload)")
    echo "| $label | $round | $total | $failed | $slowest |"
  done < <(sort -k1,1 -k2,2n "$work/rows")
} | tee "$out/reload.md"
