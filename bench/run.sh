#!/usr/bin/env bash
# The benchmark (`make bench`; not part of `make test`). It starts a local container host
# running systemd (pywebstack-bench), deploys the stack into it with the project's own
# site.yml (bench/inventory: the demo app, a plain-HTTP site and a TLS one), times that
# converge and a no-change re-run (bench/ansible-times.sh times Ansible over SSH), then
# loads the app with wrk and h2load from
# inside the container, against 127.0.0.1 only, for these variants side by side:
#   defaults       Nginx -> uWSGI, the roles' defaults
#   article        Nginx -> uWSGI with the article's settings through the roles (10 x 4,
#                  TCP socket 127.0.0.1:8700, per-request logging on)
#   uwsgi-alone    the defaults' uWSGI answering HTTP/1.1 itself on 127.0.0.1:9090, no proxy
#   gunicorn       Nginx -> Gunicorn, its documented (2 x cores) + 1 sync workers
#   article-files  the article's literal uwsgi.ini, run by hand, behind its literal
#                  nginx.conf (bench/article/): the figure the defaults were once slower than
#   old-defaults   the roles' defaults before issue 18 (4 x 4 with uWSGI's thunder lock),
#                  on the CPU-bound and waiting endpoints: what the fix changed
# and these workloads (not every variant has every one; see WORKLOADS_<variant> below):
#   cpu      GET /healthz (CPU-bound, keep-alive)
#   wait     GET /work?wait_ms=50 (waits 50 ms the way a database call does)
#   page     GET /page?rows=300&wait_ms=5 (a 5 ms wait, then a 300-row template)
#   static   GET /static/style.css (Nginx from disk; uWSGI alone: Flask)
#   tls-new  GET /healthz over HTTPS, a new connection per request (handshakes per second,
#            sessions resumed from Nginx's cache)
#   tls-h1 / tls-h2   GET /healthz over HTTPS keep-alive with h2load, HTTP/1.1 and HTTP/2
# Results: bench/results/{results.md,results.json,chart.png} and every raw output.
# The container is removed at the end unless BENCH_KEEP=1.
# Every variant is measured once per round; rounds alternate the order (A B C D E, then
# E D C B A, workloads reversed too), and the report gives each round's req/s and their mean.
# Knobs: BENCH_ROUNDS (2), BENCH_DURATION (10s), BENCH_WARMUP (2s), BENCH_CONNECTIONS
# ("64 1024"), BENCH_THREADS (wrk and h2load threads, 2), BENCH_TIMEOUT (wrk, 5s),
# BENCH_VARIANTS, BENCH_WORKLOADS (subsets, for short trial runs), BENCH_DISTRO (debian12),
# BENCH_KEEP, BENCH_REUSE=1 (measure in the container a BENCH_KEEP=1 run left, without the
# fresh converge: for trying changes to the measurements, not a record).
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-bench
distro=${BENCH_DISTRO:-debian12}
duration=${BENCH_DURATION:-10s}
warmup=${BENCH_WARMUP:-2s}
connections=${BENCH_CONNECTIONS:-64 1024}
threads=${BENCH_THREADS:-2}
timeout=${BENCH_TIMEOUT:-5s}
rounds=${BENCH_ROUNDS:-2}
all_variants="defaults article uwsgi-alone gunicorn article-files old-defaults"
all_workloads="cpu wait page static tls-new tls-h1 tls-h2"
want_variants=${BENCH_VARIANTS:-$all_variants}
want_workloads=${BENCH_WORKLOADS:-$all_workloads}
reuse=${BENCH_REUSE:-0}
gunicorn_version=27.0.1
# The name the TLS site answers to; the container maps it to 127.0.0.1 only.
tls_name=bench.localhost
out=bench/results
raw=$out/raw
vault=inventory/demo/group_vars/all/vault.yml
vault_password=inventory/demo/vault-password.txt

# What each variant is measured on. uWSGI alone has no TLS (this uWSGI is built without
# OpenSSL), nor has the article's site; HTTP/2 is a property of the Nginx site, so it is
# measured on the defaults.
WORKLOADS_defaults="cpu wait page static tls-new tls-h1 tls-h2"
WORKLOADS_article="cpu wait page static tls-new"
WORKLOADS_uwsgi_alone="cpu wait page static"
WORKLOADS_gunicorn="cpu wait page static tls-new"
WORKLOADS_article_files="cpu wait page static"
WORKLOADS_old_defaults="cpu wait"

path_of() {  # path_of WORKLOAD: the request each workload makes
  case "$1" in
    cpu|tls-new|tls-h1|tls-h2) echo /healthz ;;
    wait) echo '/work?wait_ms=50' ;;
    page) echo '/page?rows=300&wait_ms=5' ;;
    static) echo /static/style.css ;;
  esac
}

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
die() { echo "bench: $*" >&2; exit 1; }
box() { docker exec "$name" "$@"; }
box_stdin() { docker exec -i "$name" "$@"; }
meta() { printf '%s=%s\n' "$1" "$2" >> "$raw/meta.txt"; }
now() { date +%s.%N; }
others() { docker ps --format '{{.Names}}' | { grep -vx "$name" || true; } | paste -sd, -; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
has() { case " $1 " in *" $2 "*) return 0 ;; *) return 1 ;; esac; }  # has LIST WORD

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
# Per-task times in the logs (raw/ansible-*.log), so a slow run can be explained.
export ANSIBLE_CALLBACKS_ENABLED=ansible.posix.profile_tasks

meta cores "$(nproc)"
meta mem_kib "$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)"
meta cpu_model "$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo)"
meta kernel "$(uname -r)"
meta started "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta duration "$duration"
meta warmup "$warmup"
meta tool_threads "$threads"
meta wrk_timeout "$timeout"
meta rounds "$rounds"
meta image "$image"
meta gunicorn_version "$gunicorn_version"
meta variants "$want_variants"
meta workloads "$want_workloads"
meta loadavg_at_start "$(cut -d' ' -f1-3 /proc/loadavg)"
meta others_at_start "$(others)"

# --- A fresh container host ---------------------------------------------------------------
if [ "$reuse" = 1 ]; then
  docker container inspect "$name" >/dev/null 2>&1 || die "BENCH_REUSE=1: there is no $name to reuse"
  log "BENCH_REUSE=1: measuring in the existing $name (no fresh converge)"
  meta reused 1
elif docker container inspect "$name" >/dev/null 2>&1; then
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
if [ "$reuse" = 0 ]; then
  log "starting $name from $image"
  # systemd as PID 1 without --privileged (the flags of scripts/demo.sh). No published
  # port: the load generators run inside the container. The TLS site's name maps to 127.0.0.1.
  docker run -d --name "$name" --hostname "$name" \
    --cap-add SYS_ADMIN --cgroupns=host --security-opt seccomp=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
    --add-host "$tls_name:127.0.0.1" "$image" >/dev/null
  state=
  for _ in $(seq 60); do
    state=$(box systemctl is-system-running 2>/dev/null || true)
    case "$state" in running|degraded) break ;; esac
    sleep 1
  done
  case "$state" in running|degraded) ;; *) die "systemd in $name did not come up (state: $state)" ;; esac
fi
cid=$(docker inspect -f '{{.Id}}' "$name")

# --- Ansible, timed -----------------------------------------------------------------------
playbook() {  # playbook LOG PLAYBOOK [ansible-playbook options]: into the bench host
  local logfile=$raw/ansible-$1.log book=$2; shift 2
  if ! .venv/bin/ansible-playbook "$book" -i bench/inventory \
      --vault-password-file "$vault_password" --extra-vars "@$vault" "$@" > "$logfile" 2>&1; then
    tail -n 40 "$logfile" >&2
    die "$book failed (full log: $logfile)"
  fi
}
site() { local logname=$1; shift; playbook "$logname" site.yml "$@"; }
recap() {  # recap LOG KEY: a number from the host's PLAY RECAP line
  grep -E "^$name +:" "$raw/ansible-$1.log" | tail -n 1 | sed -E "s/.*[[:space:]]$2=([0-9]+).*/\1/"
}
timed() {  # timed KEY LOG PLAYBOOK [options]: run it, record KEY_s and KEY_changed
  local key=$1 logname=$2 t0 t1
  shift 2
  t0=$(now); playbook "$logname" "$@"; t1=$(now)
  meta "${key}_s" "$(elapsed "$t0" "$t1")"
  meta "${key}_changed" "$(recap "$logname" changed)"
  log "$key: $(elapsed "$t0" "$t1") s, changed=$(recap "$logname" changed)"
}

if [ "$reuse" = 0 ]; then
  log "fresh converge: site.yml -i bench/inventory (the roles' defaults)"
  timed converge_fresh fresh site.yml
  # Ansible's own times over SSH, with and without Mitogen, are bench/ansible-times.sh's.
  log "no-change re-run of site.yml"
  timed converge_rerun rerun site.yml
fi

# --- Load-generator tools inside the container -------------------------------------------
log "installing wrk and h2load (nghttp2-client) in $name (Debian's packages)"
install_tools() { box env DEBIAN_FRONTEND=noninteractive apt-get install -y -q wrk nghttp2-client; }
install_tools > "$raw/apt-tools.log" 2>&1 ||
  { box apt-get update -q >> "$raw/apt-tools.log" 2>&1 && install_tools >> "$raw/apt-tools.log" 2>&1; } ||
  die "could not install wrk and nghttp2-client (log: $raw/apt-tools.log)"
box mkdir -p /root/bench /opt/bench/article
docker cp bench/summary.lua "$name:/root/bench/summary.lua" >/dev/null
docker cp bench/workers-mem.sh "$name:/root/bench/workers-mem.sh" >/dev/null
docker cp bench/article/. "$name:/opt/bench/article/" >/dev/null
meta wrk_version "$(box wrk -v 2>&1 | head -n 1 || true)"
meta h2load_version "$(box h2load --version 2>&1 | head -n 1 || true)"
meta nginx_version "$(box nginx -v 2>&1 | head -n 1 || true)"
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

host_of() { case "$1" in tls-*) echo "$tls_name" ;; *) echo localhost ;; esac; }
wait_ok() {  # wait_ok URL WORKLOAD: 200 within 30 s, or fail
  local code=
  for _ in $(seq 30); do
    code=$(box curl -s -k -o /dev/null -w '%{http_code}' -H "Host: $(host_of "$2")" "$1" || true)
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

nginx_alerts() {  # how often an Nginx has logged that its worker_connections ran out
  box sh -c "cat /var/log/nginx/error.log /var/log/nginx/article-error.log 2>/dev/null | grep -c 'worker_connections are not enough' || true"
}

load_cmd() {  # load_cmd WORKLOAD URL CONNS SECONDS: the load generator's command, in `cmd`
  local w=$1 url=$2 c=$3 d=$4
  case "$w" in
    tls-h1|tls-h2)
      # h2load: the same connections, one request in flight on each (-m 1), HTTP/1.1 or h2;
      # its own warm-up, so the connections' handshakes fall before the measured time.
      cmd=(h2load -t "$threads" -c "$c" -m 1 --warm-up-time="${warmup%s}" -D "${d%s}" "$url")
      [ "$w" = tls-h2 ] || cmd=(h2load --h1 "${cmd[@]:1}") ;;
    tls-new)
      # A new connection (and TLS handshake, resumed from Nginx's session cache) per request.
      cmd=(wrk "-t$threads" "-c$c" "-d$d" --timeout "$timeout" --latency -s /root/bench/summary.lua
           -H 'Connection: close' "$url") ;;
    *)
      cmd=(wrk "-t$threads" "-c$c" "-d$d" --timeout "$timeout" --latency -s /root/bench/summary.lua
           -H "Host: $(host_of "$w")" "$url") ;;
  esac
}

measure() {  # measure VARIANT WORKLOAD URL UNIT: each concurrency, workers' memory after each
  local variant=$1 w=$2 url=$3 unit=$4 c base t0 t1 h0 h1 b0 b1 load alerts0 cmd=()
  wait_ok "$url" "$w"
  { box curl -s -k -i -H "Host: $(host_of "$w")" "$url" || true; } | head -c 2000 > "$raw/response-$variant-$w.txt"
  for c in $connections; do
    base=$raw/$variant-$w-c$c-r$round
    load_cmd "$w" "$url" "$c" "$warmup"
    case "$w" in tls-h*) ;; *) box timeout 120 "${cmd[@]}" > "$base.warmup.txt" 2>&1 || true ;; esac
    load_cmd "$w" "$url" "$c" "$duration"
    log "round $round, $variant, $w: after a $warmup warm-up, ${cmd[*]}"
    load=$(cut -d' ' -f1-3 /proc/loadavg)
    alerts0=$(nginx_alerts)
    bench/.venv/bin/python bench/report.py snapshot "$cid" > "$base.ps0"
    h0=$(cpu_busy_ticks); b0=$(bench_cpu_ns); t0=$(now)
    # Once, h2load exited non-zero without its summary (a recorded run lost its second
    # round to it): a failed run is tried once more before the benchmark gives up.
    box timeout 120 "${cmd[@]}" > "$base.out.txt" 2>&1 || {
      cp "$base.out.txt" "$base.failed.txt"
      log "${cmd[*]} failed; trying it once more (its output: $base.failed.txt)"
      box timeout 120 "${cmd[@]}" > "$base.out.txt" 2>&1
    } || die "${cmd[*]} failed: $(tail -n 5 "$base.out.txt")"
    t1=$(now); h1=$(cpu_busy_ticks); b1=$(bench_cpu_ns)
    bench/.venv/bin/python bench/report.py snapshot "$cid" > "$base.ps1"
    box /root/bench/workers-mem.sh "$unit" > "$base.mem.json"
    {
      echo "command=${cmd[*]}"
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
    grep -E 'Requests/sec|Non-2xx|Socket errors|^finished in|^requests:' "$base.out.txt" | sed 's/^/    /' >&2 || true
  done
}

tls_resumption_check() {  # the share of wrk's new TLS connections Nginx resumed, to meta
  # A bench-only access log of $ssl_session_reused for a 3 s run, then removed: wrk keeps
  # each connection's session and offers it on the next one.
  box_stdin sh -c 'cat > /etc/nginx/conf.d/bench-tls-log.conf' <<'CONF'
# Written by bench/run.sh for a few seconds: was each TLS session resumed ("r") or not (".").
log_format bench_tls "$ssl_session_reused $ssl_protocol";
access_log /var/log/nginx/bench-tls.log bench_tls;
CONF
  box sh -c 'rm -f /var/log/nginx/bench-tls.log; nginx -t -q && systemctl reload nginx'
  sleep 1
  box wrk -t1 -c8 -d3s -H Connection:close "https://$tls_name/healthz" > "$raw/tls-resumption.wrk.txt" 2>&1 || true
  box sh -c 'rm -f /etc/nginx/conf.d/bench-tls-log.conf && nginx -t -q && systemctl reload nginx'
  box sh -c 'sort /var/log/nginx/bench-tls.log | uniq -c' > "$raw/tls-resumption.txt" 2>&1 || true
  meta tls_resumed "$(awk '$2 == "r" {n += $1} END {print n + 0}' "$raw/tls-resumption.txt")"
  meta tls_full_handshakes "$(awk '$2 == "." {n += $1} END {print n + 0}' "$raw/tls-resumption.txt")"
  meta tls_protocols "$(awk '{print $3}' "$raw/tls-resumption.txt" | sort -u | paste -sd, -)"
}

# The variants' settings for site.yml.
# uWSGI alone: the defaults plus an HTTP/1.1 socket on loopback (keep-alive, like the
# clients of Nginx), loaded without Nginx. It serves as many keep-alive connections at a
# time as it has threads; the others wait for one to close (bench/README.md).
alone_vars='{"uwsgi_extra_options": {"http11-socket": "127.0.0.1:9090"}}'
# The article: 10 x 4, TCP socket 127.0.0.1:8700 (not its bare :8700), logging on, through
# the roles (so without the thunder lock, as the roles now set it); the bench inventory's
# two sites with Nginx passing to that socket.
site_json() {  # site_json NAME SERVER_NAME UWSGI_PASS [tls]
  local tls=
  [ -z "${4:-}" ] || tls=', "tls": {"source": "selfsigned"}'
  printf '{"name": "%s", "server_name": ["%s"], "uwsgi_pass": "%s", "unlimited": ["/healthz", "/work", "/page"], %s%s}' \
    "$1" "$2" "$3" '"static": [{"location": "/static/", "alias": "/srv/demo/current/demo/static/"}]' "$tls"
}
# The defaults before issue 18: 4 threads and the thunder lock.
old_vars='{"uwsgi_threads": 4, "uwsgi_thunder_lock": true}'
article_vars=$(printf '{"uwsgi_processes": 10, "uwsgi_threads": 4, "uwsgi_socket": "127.0.0.1:8700", "uwsgi_disable_logging": false, "nginx_sites": [%s, %s]}' \
  "$(site_json demo localhost 127.0.0.1:8700)" "$(site_json demo-tls "$tls_name" 127.0.0.1:8700 tls)")

cores=$(box nproc)
gunicorn_workers=$((2 * cores + 1))
meta gunicorn_workers "$gunicorn_workers"
gunicorn_installed=0
running=uwsgi  # what serves the app: uwsgi (uwsgi-demo.service), gunicorn or article-files
# What uWSGI and the sites are configured for; after the deploy timings (or in a reused
# container) it is not known, so the first switch converges to the bench inventory's.
if [ "$reuse" = 1 ]; then deployed=unknown; else deployed=defaults; fi

converge_to() {  # converge_to VARIANT: site.yml with the variant's extra vars, timed
  local t0 t1
  case "$1" in
    defaults) log "site.yml back to the defaults"; t0=$(now); site "to-defaults-r$round"; t1=$(now) ;;
    uwsgi-alone) log "site.yml with $alone_vars"; t0=$(now); site "to-uwsgi-alone-r$round" --extra-vars "$alone_vars"; t1=$(now) ;;
    article) log "site.yml with the article's settings: $article_vars"; t0=$(now); site "to-article-r$round" --extra-vars "$article_vars"; t1=$(now) ;;
    old-defaults) log "site.yml with the old defaults: $old_vars"; t0=$(now); site "to-old-defaults-r$round" --extra-vars "$old_vars"; t1=$(now) ;;
  esac
  meta "converge_to_${1//-/_}_r${round}_s" "$(elapsed "$t0" "$t1")"
  deployed=$1
}

gunicorn_start() {  # Gunicorn in place of uWSGI, behind a bench-only Nginx server
  if [ "$gunicorn_installed" = 0 ]; then
    log "installing Gunicorn $gunicorn_version into /srv/demo/current/.venv"
    # The release's virtualenv is uv's (the default installer): it has no pip, so the host's
    # uv wrapper (python_uv_command, with the host's index and CA settings) installs into it.
    box /usr/local/bin/pywebstack-uv pip install --quiet --python /srv/demo/current/.venv/bin/python \
      "gunicorn==$gunicorn_version" > "$raw/pip-gunicorn.log" 2>&1 ||
      die "uv could not install gunicorn (log: $raw/pip-gunicorn.log)"
    gunicorn_installed=1
  fi
  log "Gunicorn: $gunicorn_workers sync workers on 127.0.0.1:8000, Nginx on 127.0.0.1:8081 and :8444 (TLS)"
  box systemctl stop uwsgi-demo.service
  box systemctl reset-failed bench-gunicorn.service >/dev/null 2>&1 || true
  box systemd-run --unit=bench-gunicorn --property=User=demo --property=Group=demo \
    --property=WorkingDirectory=/srv/demo/current --property=EnvironmentFile=/etc/demo/app.env \
    /srv/demo/current/.venv/bin/gunicorn --workers "$gunicorn_workers" --worker-class sync \
    --bind 127.0.0.1:8000 manage:app >> "$raw/gunicorn-start.txt" 2>&1
  # The same response headers, static files and TLS certificate as the uWSGI sites, so
  # both proxies do the same work around the app.
  local headers proxied=
  headers=$(box grep -E '^ +add_header ' /etc/nginx/sites-enabled/demo-tls.conf | sort -u)
  for p in /healthz /work /page; do
    proxied="$proxied
    location = $p {
        proxy_pass http://127.0.0.1:8000;
        proxy_set_header Host \$host;
        proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        proxy_set_header X-Forwarded-Proto \$scheme;
        proxy_read_timeout 35s;
        proxy_connect_timeout 30s;
    }"
  done
  box_stdin sh -c 'cat > /etc/nginx/conf.d/bench-gunicorn.conf' <<CONF
# Written by bench/run.sh: Nginx -> Gunicorn for the benchmark only.
server {
    listen 127.0.0.1:8081;
    listen 127.0.0.1:8444 ssl;
    server_name localhost $tls_name;
    ssl_certificate /etc/nginx/tls/demo-tls.crt;
    ssl_certificate_key /etc/nginx/tls/demo-tls.key;
$headers

    location /static/ {
        alias /srv/demo/current/demo/static/;
        expires 7d;
        access_log off;
    }
$proxied
}
CONF
  box sh -c 'nginx -t -q && systemctl reload nginx'
  running=gunicorn
}

article_files_start() {  # the article's literal files: a second Nginx and a hand-run uWSGI
  log "the article's literal uwsgi.ini and nginx.conf (bench/article/): Nginx on 127.0.0.1:8082"
  box systemctl stop uwsgi-demo.service
  box sh -c 'touch /var/log/api.log && chown demo:demo /var/log/api.log && chmod 755 /opt/bench /opt/bench/article && chmod 644 /opt/bench/article/*'
  box systemctl reset-failed bench-article-uwsgi.service bench-article-nginx.service >/dev/null 2>&1 || true
  box systemd-run --unit=bench-article-uwsgi --property=User=demo --property=Group=demo --property=KillSignal=SIGQUIT \
    --property=EnvironmentFile=/etc/demo/app.env \
    /opt/uwsgi/bin/uwsgi --ini /opt/bench/article/uwsgi.ini >> "$raw/article-files-start.txt" 2>&1
  box nginx -t -q -c /opt/bench/article/nginx.conf
  box systemd-run --unit=bench-article-nginx \
    nginx -c /opt/bench/article/nginx.conf -g 'daemon off;' >> "$raw/article-files-start.txt" 2>&1
  running=article-files
}

back_to_uwsgi() {  # stop Gunicorn or the article's files; the roles' uWSGI serves again
  case "$running" in
    gunicorn)
      box journalctl -u bench-gunicorn --no-pager >> "$raw/gunicorn-journal.txt" 2>&1 || true
      box systemctl stop bench-gunicorn.service
      box sh -c 'rm -f /etc/nginx/conf.d/bench-gunicorn.conf && nginx -t -q && systemctl reload nginx' ;;
    article-files)
      box systemctl stop bench-article-nginx.service bench-article-uwsgi.service ;;
    *) return 0 ;;
  esac
  box systemctl start uwsgi-demo.service
  running=uwsgi
}

run_variant() {  # run_variant VARIANT: put it in place, verify it, measure its workloads
  local v=$1 w list var="WORKLOADS_${1//-/_}" unit=uwsgi-demo.service
  list=
  for w in ${!var}; do has "$want_workloads" "$w" && list="$list $w"; done
  [ -n "$list" ] || return 0
  # Later rounds reverse the workloads too.
  [ $((round % 2)) = 1 ] || list=$(echo "$list" | tr ' ' '\n' | tac | paste -sd' ' -)
  case "$v" in
    gunicorn)
      [ "$running" = gunicorn ] || { back_to_uwsgi; gunicorn_start; }
      unit=bench-gunicorn.service ;;
    article-files)
      [ "$running" = article-files ] || { back_to_uwsgi; article_files_start; }
      unit=bench-article-uwsgi.service ;;
    *)
      back_to_uwsgi
      [ "$deployed" = "$v" ] || converge_to "$v"
      box grep -E '^(processes|threads|thunder-lock|socket|http11-socket|disable-logging) ' \
        /etc/uwsgi/apps/demo.ini > "$raw/uwsgi-ini-$v.txt" ;;
  esac
  for w in $list; do
    # Fresh workers for every workload (Type=notify: back once they serve).
    box systemctl restart "$unit"
    case "$v" in
      defaults|old-defaults) listening "$v" /run/uwsgi/demo/uwsgi.sock ;;
      uwsgi-alone) listening uwsgi-alone 127.0.0.1:9090 /run/uwsgi/demo/uwsgi.sock ;;
      article)
        listening article 127.0.0.1:8700
        box grep -q 'uwsgi_pass 127.0.0.1:8700;' /etc/nginx/sites-enabled/demo.conf || die "Nginx does not pass to 127.0.0.1:8700" ;;
      gunicorn) listening gunicorn 127.0.0.1:8000 127.0.0.1:8081 127.0.0.1:8444 ;;
      article-files) listening article-files 127.0.0.1:8700 127.0.0.1:8082 ;;
    esac
    measure "$v" "$w" "$(url_of "$v" "$w")" "$unit"
  done
}

url_of() {  # url_of VARIANT WORKLOAD
  local path
  path=$(path_of "$2")
  case "$1:$2" in
    # Every port written out: wrk resolves a URL's scheme as a service name, and a minimal
    # Debian (debootstrap's minbase, no netbase) has no /etc/services to find "http" in.
    gunicorn:tls-*) echo "https://$tls_name:8444$path" ;;
    *:tls-*) echo "https://$tls_name:443$path" ;;
    uwsgi-alone:*) echo "http://127.0.0.1:9090$path" ;;
    gunicorn:*) echo "http://127.0.0.1:8081$path" ;;
    article-files:*) echo "http://127.0.0.1:8082$path" ;;
    *) echo "http://127.0.0.1:80$path" ;;
  esac
}

order=
for v in $all_variants; do has "$want_variants" "$v" && order="$order $v"; done
reverse=$(echo "$order" | tr ' ' '\n' | tac | paste -sd' ' -)
for round in $(seq "$rounds"); do
  if [ $((round % 2)) = 1 ]; then variants=$order; else variants=$reverse; fi
  for v in $variants; do run_variant "$v"; done
  # Once, on the TLS site: did wrk's new connections resume their sessions?
  if [ "$round" = 1 ] && has "$want_workloads" tls-new; then
    back_to_uwsgi
    tls_resumption_check
  fi
done
back_to_uwsgi
box tail -n 200 /var/log/nginx/error.log > "$raw/nginx-error.log" 2>&1 || true

meta finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
meta loadavg_at_end "$(cut -d' ' -f1-3 /proc/loadavg)"
meta others_at_end "$(others)"

# --- Report -------------------------------------------------------------------------------
bench/.venv/bin/python bench/report.py "$out"
