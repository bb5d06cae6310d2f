#!/usr/bin/env bash
# Issue 18, item 0: what made the defaults slower than the article's literal files on the
# CPU-bound endpoint, and how the sizing was chosen. One setting at a time, side by side, in
# the container a
# `BENCH_KEEP=1 make bench` run leaves (the defaults deployed, bench/article/ copied in):
#   sandboxed      the real uwsgi-demo.service behind the real site (port 80)
#   copy           the same uwsgi.ini run by hand, without the unit's sandbox
#   <setting>      the copy with that one setting changed (below)
#   no-headers     the real uwsgi-demo behind a server without the security headers
#   article-files  the article's uwsgi.ini (stats moved to 127.0.0.1:5012, so it can run
#                  beside the real instance) behind its nginx.conf, as bench/run.sh runs it
#   ...-t1         the same with one wrk thread instead of two (the independent run's wrk)
# Every copy runs the same binary, app and virtualenv as the app's user, on its own unix
# socket, reached through the roles' Nginx with the site's headers. Rounds interleave
# the configurations; the median of the rounds is compared with `copy` and with the
# article's files. Usage: bench/reconcile.sh (RECONCILE_ROUNDS 5, RECONCILE_DURATION 5s,
# RECONCILE_CONNECTIONS 64, RECONCILE_PATH /healthz, e.g. '/work?wait_ms=50' for the
# waiting endpoint, RECONCILE_ONLY, a subset of the settings below by name). Traffic stays on 127.0.0.1 inside the container.
set -euo pipefail
name=pywebstack-bench
rounds=${RECONCILE_ROUNDS:-5}
duration=${RECONCILE_DURATION:-5s}
conns=${RECONCILE_CONNECTIONS:-64}
path=${RECONCILE_PATH:-/healthz}
box() { docker exec "$name" "$@"; }
docker container inspect "$name" >/dev/null 2>&1 || { echo "reconcile: no $name; run BENCH_KEEP=1 make bench first" >&2; exit 1; }

# NAME|sed expression on the defaults' ini ("" = unchanged). The defaults have no thunder
# lock, so the lock's cost at a sizing is `<sizing>` against `<sizing>-thunder-lock`
# (4 x 16: copy and thunder-lock; 4 x 4: threads-4 and old-defaults).
settings=(
  "copy|"
  "thunder-lock|\$a thunder-lock = true"
  "threads-4|s/^threads = .*/threads = 4/"
  "threads-8|s/^threads = .*/threads = 8/"
  "threads-32|s/^threads = .*/threads = 32/"
  "old-defaults|s/^threads = .*/threads = 4/; \$a thunder-lock = true"
  "processes-2|s/^processes = .*/processes = 2/"
  "processes-10|s/^processes = .*/processes = 10/"
  "article-workers|s/^processes = .*/processes = 10/; s/^threads = .*/threads = 4/"
  "logging-on|s/^disable-logging = .*/disable-logging = false/"
  "4x8|s/^processes = .*/processes = 4/; s/^threads = .*/threads = 8/"
  "6x8|s/^processes = .*/processes = 6/; s/^threads = .*/threads = 8/"
  "8x8|s/^processes = .*/processes = 8/; s/^threads = .*/threads = 8/"
  "8x4|s/^processes = .*/processes = 8/; s/^threads = .*/threads = 4/"
  "10x8|s/^processes = .*/processes = 10/; s/^threads = .*/threads = 8/"
  "8x8-thunder-lock|s/^processes = .*/processes = 8/; s/^threads = .*/threads = 8/; \$a thunder-lock = true"
  "article-workers-thunder-lock|s/^processes = .*/processes = 10/; s/^threads = .*/threads = 4/; \$a thunder-lock = true"
)
# RECONCILE_ONLY: a space-separated subset of the names above (copy is always run).
if [ -n "${RECONCILE_ONLY:-}" ]; then
  kept=()
  for entry in "${settings[@]}"; do
    case " copy $RECONCILE_ONLY " in *" ${entry%%|*} "*) kept+=("$entry") ;; esac
  done
  settings=("${kept[@]}")
fi

box sh -ec '
  mkdir -p /run/reconcile /var/log/reconcile
  chown demo:www-data /run/reconcile /var/log/reconcile
  chmod 0750 /run/reconcile
  systemctl stop "reconcile-*" 2>/dev/null || true
  systemctl reset-failed "reconcile-*" 2>/dev/null || true
  systemctl stop bench-article-nginx bench-article-uwsgi 2>/dev/null || true
  systemctl is-active -q uwsgi-demo || systemctl start uwsgi-demo'
headers=$(box grep -E '^ +add_header ' /etc/nginx/sites-enabled/demo.conf | sort -u)
servers="server {
    listen 127.0.0.1:8300;
    server_name localhost;
    location / { include uwsgi_params; uwsgi_pass unix:/run/uwsgi/demo/uwsgi.sock; }
}"
port=8300
urls=("sandboxed=http://127.0.0.1$path" "no-headers=http://127.0.0.1:8300$path")
for entry in "${settings[@]}"; do
  setting=${entry%%|*} expr=${entry#*|} port=$((port + 1))
  # The copy: its own socket and log, no stats server, no touch-reload file.
  box sh -ec "
    sed -e 's#^socket = .*#socket = /run/reconcile/$setting.sock#' -e 's#^logto = .*#logto = /var/log/reconcile/$setting.log#' \
        -e '/^stats = /d' -e '/^touch-reload = /d' ${expr:+-e '$expr'} /etc/uwsgi/apps/demo.ini > /run/reconcile/$setting.ini
    chmod 0644 /run/reconcile/$setting.ini
    systemd-run -q --unit=reconcile-$setting --property=User=demo --property=Group=demo --property=KillSignal=SIGQUIT \
      --property=SupplementaryGroups=www-data /opt/uwsgi/bin/uwsgi --ini /run/reconcile/$setting.ini"
  servers="$servers
server {
    listen 127.0.0.1:$port;
    server_name localhost;
$headers
    location / { include uwsgi_params; uwsgi_pass unix:/run/reconcile/$setting.sock; }
}"
  urls+=("$setting=http://127.0.0.1:$port$path")
done
printf '# Written by bench/reconcile.sh.\n%s\n' "$servers" | docker exec -i "$name" sh -c 'cat > /etc/nginx/conf.d/reconcile.conf && nginx -t -q && systemctl reload nginx'
# The article's files, as bench/run.sh runs them, with the stats port moved.
box sh -ec '
  sed "s/^stats = .*/stats = 127.0.0.1:5012/" /opt/bench/article/uwsgi.ini > /run/reconcile/article.ini
  chmod 0644 /run/reconcile/article.ini
  touch /var/log/api.log && chown demo:demo /var/log/api.log
  systemd-run -q --unit=reconcile-article-uwsgi --property=User=demo --property=Group=demo --property=KillSignal=SIGQUIT \
    --property=EnvironmentFile=/etc/demo/app.env /opt/uwsgi/bin/uwsgi --ini /run/reconcile/article.ini
  systemd-run -q --unit=reconcile-article-nginx nginx -c /opt/bench/article/nginx.conf -g "daemon off;"'
urls+=("article-files=http://127.0.0.1:8082$path" "sandboxed-t1=http://127.0.0.1$path" "article-files-t1=http://127.0.0.1:8082$path")
sleep 3
for u in "${urls[@]}"; do
  code=$(box curl -s -o /dev/null -w '%{http_code}' -H 'Host: localhost' "${u#*=}")
  [ "$code" = 200 ] || { echo "reconcile: ${u%%=*} (${u#*=}) answers $code" >&2; exit 1; }
done

echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg); others: $(docker ps --format '{{.Names}}' | grep -vx "$name" | paste -sd, -)"
results=$(mktemp)
for r in $(seq "$rounds"); do
  for u in "${urls[@]}"; do
    what=${u%%=*} t=2
    case "$what" in *-t1) t=1 ;; esac
    box wrk -t"$t" -c"$conns" -d1s --timeout 5s -H 'Host: localhost' "${u#*=}" >/dev/null 2>&1 || true
    rps=$(box wrk -t"$t" -c"$conns" -d"$duration" --timeout 5s -H 'Host: localhost' "${u#*=}" | awk '/^Requests\/sec/ {print $2}')
    echo "$r $what $rps" | tee -a "$results" >&2
  done
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
# The workers' memory (RSS, MiB) of each uWSGI, after the runs.
mem=$(mktemp)
for u in "${urls[@]}"; do
  what=${u%%=*}
  case "$what" in
    *-t1) continue ;;
    sandboxed|no-headers) unit=uwsgi-demo ;;
    article-files) unit=reconcile-article-uwsgi ;;
    *) unit=reconcile-$what ;;
  esac
  echo "$what $(box /root/bench/workers-mem.sh "$unit.service" | sed -nE 's/.*"rss_kib": ([0-9]+).*/\1/p')" >> "$mem"
done
echo "$duration runs of wrk -c$conns on $path, $rounds rounds:"
python3 - "$results" "$mem" <<'PY'
import statistics, sys
runs, mem = {}, {}
for line in open(sys.argv[1]):
    _, what, rps = line.split()
    runs.setdefault(what, []).append(float(rps))
for line in open(sys.argv[2]):
    what, kib = line.split()
    mem[what] = int(kib) / 1024
med = {w: statistics.median(v) for w, v in runs.items()}
print("| Configuration | req/s, median | each round | / copy | / article-files | workers' RSS |")
print("| --- | ---: | --- | ---: | ---: | ---: |")
for w, v in runs.items():
    rss = f"{mem[w]:.0f} MiB" if w in mem else "-"
    print(f"| {w} | {med[w]:,.0f} | {', '.join(f'{x:,.0f}' for x in v)} | {med[w] / med['copy']:.2f} | "
          f"{med[w] / med['article-files']:.2f} | {rss} |")
PY
rm -f "$results" "$mem"
box sh -c 'systemctl stop "reconcile-*"; rm -f /etc/nginx/conf.d/reconcile.conf; nginx -t -q && systemctl reload nginx'
