#!/usr/bin/env bash
# How long a fresh host takes to converge with site.yml over SSH as a sudoer (the demo
# inventory), with uWSGI compiled on the host (uwsgi_wheel_cache: "", what pip alone does)
# side by side with uWSGI installed from the wheel the controller keeps for the host's kind.
# Part of `make bench`, not of `make test`. Each run is a new fresh container
# (pywebstack-fresh). The first run, with an empty cache, is the first host of its kind
# (it compiles and fills the cache); then BENCH_FRESH_ROUNDS (2) rounds of both ways, the
# second round in reverse order. Prints a Markdown table and writes bench/results/fresh.md.
# BENCH_FRESH_BASELINE=REV adds a third way, before and after side by side: the same converge
# with the controller's wheel by REV's files (git archive, its own demo inventory), e.g. the
# last release's commit.
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-fresh
distro=${BENCH_DISTRO:-debian12}
rounds=${BENCH_FRESH_ROUNDS:-2}
baseline=${BENCH_FRESH_BASELINE:-}
[ "$rounds" -ge 1 ] || { echo "fresh: BENCH_FRESH_ROUNDS must be at least 1" >&2; exit 2; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_init  # $out, $work (removed at exit, with the container $name), $image of $distro
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
export ANSIBLE_NOCOLOR=1
ways="compile wheel"
if [ -n "$baseline" ]; then
  bench_baseline fresh "$baseline"
  ways="compile wheel baseline"
fi

converge() {  # converge TAG CACHE: a new fresh host, site.yml over SSH from the current directory; prints the wall time
  local tag=$1 cache=$2 t0 t1
  start_host "$name" "$image" -p 127.0.0.1::22
  rm -rf "$work/ssh"
  ssh_inventory "$name" "$work/ssh"
  t0=$(date +%s.%N)
  ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts-$tag" .venv/bin/ansible-playbook site.yml -i "$work/ssh" \
    --vault-password-file inventory/demo/vault-password.txt -e "uwsgi_wheel_cache=$cache" -e "app_build_dir=$work/build-$(basename "$PWD")" \
    > "$work/$tag.log" 2>&1 || { tail -n 30 "$work/$tag.log" >&2; echo "fresh: $tag failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

log "the first host of its kind: compiles uWSGI, the controller keeps the wheel"
first=$(converge first "$work/wheels")
declare -A times
for round in $(seq "$rounds"); do
  order=$ways; [ $((round % 2)) -eq 0 ] && order=$(tr ' ' '\n' <<< "$ways" | tac | xargs)
  for way in $order; do
    log "round $round/$rounds: $way"
    case $way in
      compile) times[$way]+="$(converge "$way-$round" '') " ;;
      wheel) times[$way]+="$(converge "$way-$round" "$work/wheels") " ;;
      baseline) times[$way]+="$(cd "$work/base" && converge "$way-$round" "$work/wheels") " ;;
    esac
  done
done

median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
{
  echo "## A fresh host's converge: uWSGI compiled on the host or from the controller's wheel"
  echo
  echo "Run $(date -u +%FT%TZ) by \`bench/fresh.sh\` on $(nproc) cores, load average before: ${load_before}."
  echo "Each run: a new fresh $distro container, site.yml over SSH as a sudoer, the demo inventory."
  echo
  echo "| uWSGI | Median of $rounds | Each run |"
  echo "| --- | ---: | --- |"
  echo "| compiled on the host (\`uwsgi_wheel_cache: \"\"\`) | $(median "${times[compile]}") s | ${times[compile]% } |"
  echo "| the controller's wheel for the host's kind (the default) | $(median "${times[wheel]}") s | ${times[wheel]% } |"
  [ -z "$baseline" ] ||
    echo "| the controller's wheel, by $baseline's files (before) | $(median "${times[baseline]}") s | ${times[baseline]% } |"
  echo
  echo "The first host of its kind (compiles, the controller keeps the wheel): ${first} s."
} | tee "$out/fresh.md"
