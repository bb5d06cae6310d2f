#!/usr/bin/env bash
# The benchmark (`make bench`; not part of `make test`). It starts a local container
# host running systemd (pywebstack-bench), deploys the stack into it with the project's
# own site.yml (bench/inventory: the demo app, plain HTTP), times that converge and a
# no-change re-run, then loads /healthz with wrk from inside the container, against
# 127.0.0.1 only, for four variants side by side:
#   defaults     Nginx -> uWSGI, the roles' defaults (unix socket, max(2, 2 x vCPUs)
#                processes x 4 threads, per-request logging off)
#   article      Nginx -> uWSGI, the article's settings (10 processes x 4 threads,
#                TCP socket 127.0.0.1:8700, per-request logging on)
#   uwsgi-alone  the defaults' uWSGI with an extra http-socket 127.0.0.1:9090, no proxy
#   gunicorn     Nginx -> Gunicorn, (2 x cores) + 1 sync workers on 127.0.0.1:8000
# Results: bench/results/{results.md,results.json,chart.png} and the raw outputs.
# The container is removed at the end unless BENCH_KEEP=1.
# Every variant is measured once per round; rounds alternate the order (A B C D, then
# D C B A), and the report gives each round's req/s and their mean.
# Knobs: BENCH_ROUNDS (2), BENCH_DURATION (15s), BENCH_WARMUP (3s),
# BENCH_CONNECTIONS ("64 1024"), BENCH_THREADS (wrk threads, 2), BENCH_DISTRO (debian12).
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-bench
distro=${BENCH_DISTRO:-debian12}
duration=${BENCH_DURATION:-15s}
warmup=${BENCH_WARMUP:-3s}
connections=${BENCH_CONNECTIONS:-64 1024}
threads=${BENCH_THREADS:-2}
rounds=${BENCH_ROUNDS:-2}
gunicorn_version=27.0.1
out=bench/results
raw=$out/raw
vault=inventory/demo/group_vars/all/vault.yml
vault_password=inventory/demo/vault-password.txt

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
box() { docker exec "$name" "$@"; }
box_stdin() { docker exec -i "$name" "$@"; }
meta() { printf '%s=%s\n' "$1" "$2" >> "$raw/meta.txt"; }
now() { date +%s.%N; }
others() { docker ps --format '{{.Names}}' | { grep -vx "$name" || true; } | paste -sd, -; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }

# --- Set-up: the project's tools and base image, the chart's venv ------------------------
DISTROS=$distro scripts/setup.sh
image=$(scripts/build-image.sh "$distro")
stamp=bench/.venv/.requirements.sha
want=$(sha256sum bench/requirements.txt | cut -d' ' -f1)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  log "installing bench/requirements.txt into bench/.venv (the chart)"
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install -q -r bench/requirements.txt
  echo "$want" > "$stamp"
fi

rm -rf "$out"
mkdir -p "$raw"
# A private fact cache, emptied per run: the fresh converge gathers facts like a new host.
export ANSIBLE_CACHE_PLUGIN_CONNECTION="$PWD/$out/facts"
export ANSIBLE_NOCOLOR=1 ANSIBLE_FORCE_COLOR=0 PY_COLORS=0
# Per-task times in the logs (raw/ansible-*.log), so a slow re-run can be explained.
export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks

meta cores "$(nproc)"
meta mem_kib "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
meta cpu_model "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
meta kernel "$(uname -r)"
meta started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta duration "$duration"
meta warmup "$warmup"
meta wrk_threads "$threads"
meta rounds "$rounds"
meta image "$image"
meta gunicorn_version "$gunicorn_version"
meta others_at_start "$(others)"

# --- A fresh container host ---------------------------------------------------------------
if docker container inspect "$name" >/dev/null 2>&1; then
  log "removing the previous $name (the converge is timed on a fresh host)"
  docker rm -f "$name" >/dev/null
fi
cleanup() {
  if [ "${BENCH_KEEP:-0}" = 1 ]; then
    log "BENCH_KEEP=1: $name is kept (remove it with: docker rm -f $name)"
  else
    docker rm -f "$name" >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT
log "starting $name from $image"
# systemd as PID 1 without --privileged (the flags of scripts/demo.sh); no published port:
# wrk runs inside the container.
docker run -d --name "$name" --hostname "$name" \
  --cap-add SYS_ADMIN --cgroupns=host --security-opt seccomp=unconfined \
  -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock "$image" >/dev/null
state=
for _ in $(seq 60); do
  state=$(box systemctl is-system-running 2>/dev/null || true)
  case "$state" in running|degraded) break ;; esac
  sleep 1
done
case "$state" in running|degraded) ;; *) die "systemd in $name did not come up (state: $state)" ;; esac
cid=$(docker inspect -f '{{.Id}}' "$name")

# --- Ansible: site.yml, timed -------------------------------------------------------------
site() {  # site LOG [ansible-playbook options]: site.yml into the bench host
  local logfile=$raw/ansible-$1.log; shift
  if ! .venv/bin/ansible-playbook site.yml -i bench/inventory \
      --vault-password-file "$vault_password" --extra-vars "@$vault" "$@" > "$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "site.yml failed (full log: $logfile)"
  fi
}
recap() {  # recap LOG KEY: a number from the host's PLAY RECAP line
  grep -E "^$name +:" "$raw/ansible-$1.log" | tail -n 1 | sed -E "s/.*[[:space:]]$2=([0-9]+).*/\1/"
}

log "fresh converge: site.yml -i bench/inventory (the roles' defaults)"
t0=$(now); site fresh; t1=$(now)
meta converge_fresh_s "$(elapsed "$t0" "$t1")"
meta converge_fresh_changed "$(recap fresh changed)"
log "fresh converge: $(elapsed "$t0" "$t1") s, changed=$(recap fresh changed)"

log "no-change re-run of site.yml"
t0=$(now); site rerun; t1=$(now)
meta converge_rerun_s "$(elapsed "$t0" "$t1")"
meta converge_rerun_changed "$(recap rerun changed)"
log "re-run: $(elapsed "$t0" "$t1") s, changed=$(recap rerun changed)"

# --- Load-generator tools inside the container -------------------------------------------
log "installing wrk in $name (Debian's package)"
box env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk > "$raw/apt-wrk.log" 2>&1 ||
  { box apt-get update -q >> "$raw/apt-wrk.log" 2>&1 &&
    box env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk >> "$raw/apt-wrk.log" 2>&1; } ||
  die "could not install wrk (log: $raw/apt-wrk.log)"
box mkdir -p /root/bench
docker cp bench/summary.lua "$name:/root/bench/summary.lua" >/dev/null
docker cp bench/workers-mem.sh "$name:/root/bench/workers-mem.sh" >/dev/null
meta wrk_version "$(box wrk -v 2>&1 | head -n 1 || true)"
meta container_nproc "$(box nproc)"

# --- Measuring ----------------------------------------------------------------------------
cpu_busy_ticks() { awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat; }
bench_cpu_ns() {  # the bench container's CPU time, from its cgroup (v1 or v2), or -1
  local f
  for f in "/sys/fs/cgroup/cpuacct/docker/$cid/cpuacct.usage" "/sys/fs/cgroup/cpu,cpuacct/docker/$cid/cpuacct.usage"; do
    [ -r "$f" ] && { cat "$f"; return; }
  done
  for f in "/sys/fs/cgroup/docker/$cid/cpu.stat" "/sys/fs/cgroup/system.slice/docker-$cid.scope/cpu.stat"; do
    [ -r "$f" ] && { awk '/^usage_usec/ {printf "%.0f\n", $2 * 1000}' "$f"; return; }
  done
  echo -1
}

wait_ok() {  # wait_ok URL: 200 within 30 s, or fail
  local code=
  for _ in $(seq 30); do
    code=$(box curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "$1" || true)
    [ "$code" = 200 ] && return 0
    sleep 1
  done
  die "$1 did not answer 200 (last status: ${code:-none})"
}

listening() {  # listening VARIANT WHAT...: each WHAT in `ss -ltnx` within 10 s (saved to raw/)
  local variant=$1 want missing
  shift
  for _ in $(seq 10); do
    box ss -ltnx > "$raw/ss-$variant.txt"
    missing=
    for want in "$@"; do
      grep -qF -- "$want" "$raw/ss-$variant.txt" || missing="$missing $want"
    done
    [ -z "$missing" ] && return 0
    sleep 1
  done
  die "$variant: nothing listens on$missing (see $raw/ss-$variant.txt)"
}

nginx_alerts() {  # how often Nginx has logged that its worker_connections ran out
  box sh -c "grep -c 'worker_connections are not enough' /var/log/nginx/error.log || true"
}

measure() {  # measure VARIANT URL UNIT: wrk at each concurrency, workers' memory after each
  local variant=$1 url=$2 unit=$3 c base t0 t1 h0 h1 b0 b1 load alerts0
  wait_ok "$url"
  box curl -s -i -H 'Host: localhost' "$url" > "$raw/response-$variant.txt"
  for c in $connections; do
    base=$raw/$variant-c$c-r$round
    log "round $round, $variant: warm-up $warmup, then wrk -t$threads -c$c -d$duration --latency $url"
    box timeout 120 wrk -t"$threads" -c"$c" -d"$warmup" -H 'Host: localhost' "$url" > "$base.warmup.txt" 2>&1 || true
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    alerts0=$(nginx_alerts)
    bench/.venv/bin/python bench/report.py snapshot "$cid" > "$base.ps0"
    h0=$(cpu_busy_ticks); b0=$(bench_cpu_ns); t0=$(now)
    box timeout 120 wrk -t"$threads" -c"$c" -d"$duration" --timeout 2s --latency \
      -s /root/bench/summary.lua -H 'Host: localhost' "$url" > "$base.wrk.txt" 2>&1 ||
      die "wrk failed: $(cat "$base.wrk.txt")"
    t1=$(now); h1=$(cpu_busy_ticks); b1=$(bench_cpu_ns)
    bench/.venv/bin/python bench/report.py snapshot "$cid" > "$base.ps1"
    box /root/bench/workers-mem.sh "$unit" > "$base.mem.json"
    {
      echo "loadavg_before=$load"
      echo "wall_s=$(elapsed "$t0" "$t1")"
      echo "clk_tck=$(getconf CLK_TCK)"
      echo "nginx_worker_connections_alerts=$(( $(nginx_alerts) - alerts0 ))"
      echo "host_busy_s=$(awk -v a="$h0" -v b="$h1" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", (b - a) / hz }')"
      if [ "$b0" -ge 0 ] && [ "$b1" -ge 0 ]; then
        echo "bench_busy_s=$(awk -v a="$b0" -v b="$b1" 'BEGIN { printf "%.2f", (b - a) / 1e9 }')"
      fi
      echo "others=$(others)"
    } > "$base.host.txt"
    grep -E 'Requests/sec|Non-2xx|Socket errors' "$base.wrk.txt" | sed 's/^/    /' >&2 || true
  done
}

# The variants' settings for site.yml.
# uWSGI alone: the defaults plus an HTTP socket on loopback, loaded without Nginx. uWSGI's
# http-socket closes the connection after each response without saying so (no
# `Connection: close`): wrk would reuse the dead connection, count a read error per
# request and waste a write. The header makes wrk reconnect cleanly instead.
alone_vars='{"uwsgi_extra_options": {"http-socket": "127.0.0.1:9090", "add-header": "Connection: close"}}'
# The article: 10 x 4, TCP socket 127.0.0.1:8700 (not its bare :8700), logging on; the
# bench inventory's site with Nginx passing to that socket.
site_json() {
  printf '[{"name": "demo", "server_name": ["localhost"], "uwsgi_pass": "%s", "unlimited": ["/healthz"], %s}]' \
    "$1" '"static": [{"location": "/static/", "alias": "/srv/demo/current/demo/static/"}]'
}
article_vars=$(printf '{"uwsgi_processes": 10, "uwsgi_threads": 4, "uwsgi_socket": "127.0.0.1:8700", "uwsgi_disable_logging": false, "nginx_sites": %s}' \
  "$(site_json 127.0.0.1:8700)")

cores=$(box nproc)
gunicorn_workers=$((2 * cores + 1))
meta gunicorn_workers "$gunicorn_workers"
gunicorn_installed=0
gunicorn_running=0
deployed=defaults  # what uWSGI and the Nginx site are configured for (the fresh converge)

converge_to() {  # converge_to VARIANT: site.yml with the variant's extra vars, timed
  local t0 t1
  case "$1" in
    defaults) log "site.yml back to the defaults"; t0=$(now); site "to-defaults-r$round"; t1=$(now) ;;
    uwsgi-alone) log "site.yml with $alone_vars"; t0=$(now); site "to-uwsgi-alone-r$round" --extra-vars "$alone_vars"; t1=$(now) ;;
    article) log "site.yml with the article's settings: $article_vars"; t0=$(now); site "to-article-r$round" --extra-vars "$article_vars"; t1=$(now) ;;
  esac
  meta "converge_to_${1//-/_}_r${round}_s" "$(elapsed "$t0" "$t1")"
  deployed=$1
}

gunicorn_start() {  # Gunicorn in place of uWSGI, behind a bench-only Nginx server
  if [ "$gunicorn_installed" = 0 ]; then
    log "installing Gunicorn $gunicorn_version into /srv/demo/current/.venv"
    box /srv/demo/current/.venv/bin/pip install -q "gunicorn==$gunicorn_version" > "$raw/pip-gunicorn.log" 2>&1 ||
      die "pip could not install gunicorn (log: $raw/pip-gunicorn.log)"
    gunicorn_installed=1
  fi
  log "Gunicorn: $gunicorn_workers sync workers on 127.0.0.1:8000, Nginx on 127.0.0.1:8081"
  box systemctl stop uwsgi-demo.service
  box systemctl reset-failed bench-gunicorn.service >/dev/null 2>&1 || true
  box systemd-run --unit=bench-gunicorn --property=User=demo --property=Group=demo \
    --property=WorkingDirectory=/srv/demo/current --property=EnvironmentFile=/etc/demo/app.env \
    /srv/demo/current/.venv/bin/gunicorn --workers "$gunicorn_workers" --worker-class sync \
    --bind 127.0.0.1:8000 manage:app >> "$raw/gunicorn-start.txt" 2>&1
  # The same response headers as the uWSGI site, so both proxies send the same bytes.
  local headers
  headers=$(box grep -E '^ +add_header ' /etc/nginx/sites-enabled/demo.conf | sort -u)
  box_stdin sh -c 'cat > /etc/nginx/conf.d/bench-gunicorn.conf' <<CONF
# Written by bench/run.sh: Nginx -> Gunicorn for the benchmark only.
server {
    listen 127.0.0.1:8081;
    server_name localhost;
$headers

    location = /healthz {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_read_timeout 35s;
        proxy_connect_timeout 30s;
    }
}
CONF
  box sh -c 'nginx -t -q && systemctl reload nginx'
  gunicorn_running=1
}

gunicorn_stop() {  # back to uWSGI behind Nginx
  box journalctl -u bench-gunicorn --no-pager >> "$raw/gunicorn-journal.txt" 2>&1 || true
  box systemctl stop bench-gunicorn.service
  box sh -c 'rm -f /etc/nginx/conf.d/bench-gunicorn.conf && nginx -t -q && systemctl reload nginx'
  box systemctl start uwsgi-demo.service
  gunicorn_running=0
}

run_variant() {  # run_variant VARIANT: put it in place, verify it, measure it
  local v=$1
  if [ "$v" = gunicorn ]; then
    # Fresh workers for every measurement, as for uWSGI.
    if [ "$gunicorn_running" = 1 ]; then box systemctl restart bench-gunicorn.service; else gunicorn_start; fi
    listening gunicorn 127.0.0.1:8000 127.0.0.1:8081
    measure gunicorn http://127.0.0.1:8081/healthz bench-gunicorn.service
    return
  fi
  [ "$gunicorn_running" = 0 ] || gunicorn_stop
  [ "$deployed" = "$v" ] || converge_to "$v"
  # Fresh workers for every measurement (Type=notify: back once they serve).
  box systemctl restart uwsgi-demo.service
  box grep -E '^(processes|threads|socket|http-socket|add-header|disable-logging) ' /etc/uwsgi/apps/demo.ini > "$raw/uwsgi-ini-$v.txt"
  case "$v" in
    defaults)
      listening defaults /run/uwsgi/demo/uwsgi.sock
      measure defaults http://127.0.0.1/healthz uwsgi-demo.service ;;
    uwsgi-alone)
      listening uwsgi-alone 127.0.0.1:9090 /run/uwsgi/demo/uwsgi.sock
      measure uwsgi-alone http://127.0.0.1:9090/healthz uwsgi-demo.service ;;
    article)
      listening article 127.0.0.1:8700
      box grep -q 'uwsgi_pass 127.0.0.1:8700;' /etc/nginx/sites-enabled/demo.conf || die "Nginx does not pass to 127.0.0.1:8700"
      measure article http://127.0.0.1/healthz uwsgi-demo.service ;;
  esac
}

# Rounds in alternating order (A B C D, then D C B A, ...): a drift in the machine's speed
# over the run then weighs on every variant alike.
order="defaults uwsgi-alone article gunicorn"
reverse="gunicorn article uwsgi-alone defaults"
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then variants=$order; else variants=$reverse; fi
  for v in $variants; do run_variant "$v"; done
done
[ "$gunicorn_running" = 0 ] || gunicorn_stop
box tail -n 200 /var/log/nginx/error.log > "$raw/nginx-error.log" 2>&1 || true

meta finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta others_at_end "$(others)"

# --- Report -------------------------------------------------------------------------------
bench/.venv/bin/python bench/report.py "$out"
