#!/usr/bin/env bash
# How long a changed release (code only: one file of the demo app changes, its lock does
# not) takes to go live on a converged host, over SSH as a sudoer (the demo inventory):
# deploy.yml and site.yml, with the releases built by pip (python_installer: pip, the way
# before uv) side by side with uv (the default). Part of `make bench`, not of `make test`.
# One fresh container (pywebstack-release) converged once; then BENCH_RELEASE_ROUNDS (2)
# rounds of both ways, the second round in reverse order, each a new release. Prints a
# Markdown table and writes bench/results/release.md.
# BENCH_RELEASE_BASELINE=REV adds a third way, before and after side by side on the same
# host: the same uv releases by REV's roles and playbooks (git archive into the work
# directory, this checkout's .venv), alternating with the others.
set -euo pipefail
cd "$(dirname "$0")/.."

name=pywebstack-release
distro=${BENCH_DISTRO:-debian12}
rounds=${BENCH_RELEASE_ROUNDS:-2}
baseline=${BENCH_RELEASE_BASELINE:-}
[ "$rounds" -ge 1 ] || { echo "release: BENCH_RELEASE_ROUNDS must be at least 1" >&2; exit 2; }
# shellcheck source=bench/lib.sh
. bench/lib.sh
bench_init  # $out, $work (removed at exit, with the container $name), $image of $distro
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
export ANSIBLE_NOCOLOR=1
ways="pip uv"
if [ -n "$baseline" ]; then
  bench_baseline release "$baseline"
  ways="pip uv baseline"
fi

cp -a app/flask "$work/app"
start_host "$name" "$image" -p 127.0.0.1::22
ssh_inventory "$name" "$work/ssh"
export ANSIBLE_CACHE_PLUGIN_CONNECTION="$work/facts"

play() {  # play TAG PLAYBOOK INSTALLER: one run over SSH; prints its wall time
  local tag=$1 playbook=$2 installer=$3 t0 t1
  t0=$(date +%s.%N)
  .venv/bin/ansible-playbook "$playbook" -i "$work/ssh" --vault-password-file inventory/demo/vault-password.txt \
    -e "python_installer=$installer" -e "app_source_dir=$work/app/" -e "app_build_dir=$work/build-$(basename "$PWD")" \
    > "$work/$tag.log" 2>&1 || { tail -n 30 "$work/$tag.log" >&2; echo "release: $tag failed" >&2; exit 1; }
  t1=$(date +%s.%N)
  awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.1f", b - a }'
}

log "converging the fresh host once (uv installed, the demo live)"
converged=$(play converge site.yml uv)
declare -A times
for round in $(seq "$rounds"); do
  order=$ways; [ $((round % 2)) -eq 0 ] && order=$(tr ' ' '\n' <<< "$ways" | tac | xargs)
  for way in $order; do
    for playbook in playbooks/deploy.yml site.yml; do
      # Code only: a line no release had before; the lock (requirements.txt) is unchanged.
      echo "# release $way $round $playbook $(date +%s%N)" >> "$work/app/manage.py"
      log "round $round/$rounds: $way, $playbook"
      case $way in
        baseline) times[$way-$playbook]+="$(cd "$work/base" && play "$way-$round-$(basename "$playbook")" "$playbook" uv) " ;;
        *) times[$way-$playbook]+="$(play "$way-$round-$(basename "$playbook")" "$playbook" "$way") " ;;
      esac
    done
  done
done

median() { tr ' ' '\n' <<< "$1" | sed '/^$/d' | sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
{
  echo "## A changed release, code only, on a converged host: pip or uv"
  echo
  echo "Run $(date -u +%FT%TZ) by \`bench/release.sh\` on $(nproc) cores, load average before: ${load_before}."
  echo "One $distro container over SSH as a sudoer, the demo inventory, converged once (${converged} s from fresh);"
  echo "each run a new release of the demo app (one file changed, the lock not), the two ways alternating."
  echo
  echo "| Releases built by | Playbook | Median of $rounds | Each run |"
  echo "| --- | --- | ---: | --- |"
  for way in $ways; do
    for playbook in playbooks/deploy.yml site.yml; do
      label=$way; [ "$way" = baseline ] && label="uv, by ${baseline}'s files (before)"
      echo "| $label | \`$playbook\` | $(median "${times[$way-$playbook]}") s | ${times[$way-$playbook]% } |"
    done
  done
} | tee "$out/release.md"
