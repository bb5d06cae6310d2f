#!/usr/bin/env bash
# The whole test suite: set-up, lint, then every Molecule scenario, each step counted.
# Ends with one line `N passed, N failed`; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0
mkdir -p .cache/test-logs
results=.cache/test-logs/results
: > "$results"

step() {  # step NAME COMMAND...: run, log, time, count (one line each, so side-by-side lanes do not mix)
  local name=$1; shift
  local log=".cache/test-logs/${name//[^A-Za-z0-9_.-]/_}.log" start=$SECONDS
  if "$@" >"$log" 2>&1; then
    printf '%-55s PASS (%ds)\n' "$name" $((SECONDS - start)); echo "PASS $name" >> "$results"
  else
    { printf '%-55s FAIL (%ds, log: %s)\n' "$name" $((SECONDS - start)) "$log"
      tail -n 40 "$log" | sed 's/^/    /'; } | flock "$results" cat
    echo "FAIL $name" >> "$results"
  fi
}

check_mode_clean() {  # --check --diff on the converged hosts must report no change
  molecule converge -s "$1" -- --check --diff > ".cache/test-logs/check-$1.out" 2>&1
  local rc=$?; cat ".cache/test-logs/check-$1.out"
  [ $rc -eq 0 ] && grep -q 'PLAY RECAP' ".cache/test-logs/check-$1.out" &&
    ! grep -E '^\S+\s+: ok=' ".cache/test-logs/check-$1.out" | grep -qv 'changed=0 '
}

scenario() {  # every step of one scenario, in order
  [ -f "molecule/$1/molecule.yml" ] || { step "molecule $1: is a scenario" false; return; }
  molecule destroy -s "$1" >/dev/null 2>&1
  if [ "$1" = upgrade ]; then  # an earlier version deploys the host, verify upgrades it (its molecule.yml)
    step "molecule $1: syntax" molecule syntax -s "$1"
    step "molecule $1: create (prepare.yml: an earlier version deploys)" molecule create -s "$1"
    step "molecule $1: verify (today's site.yml under load)" molecule verify -s "$1"
    step "molecule $1: destroy" molecule destroy -s "$1"
    return
  fi
  if [ "$1" = collection ]; then  # verify deploys from a user's repository as they would (its molecule.yml)
    step "molecule $1: syntax" molecule syntax -s "$1"
    step "molecule $1: create" molecule create -s "$1"
    step "molecule $1: verify (a user's repository: install, deploy, upgrade)" molecule verify -s "$1"
    step "molecule $1: destroy" molecule destroy -s "$1"
    return
  fi
  step "molecule $1: syntax" molecule syntax -s "$1"
  step "molecule $1: create" molecule create -s "$1"
  step "molecule $1: converge" molecule converge -s "$1"
  step "molecule $1: idempotence" molecule idempotence -s "$1"
  step "molecule $1: --check --diff reports no change" check_mode_clean "$1"
  step "molecule $1: verify" molecule verify -s "$1"
  step "molecule $1: destroy" molecule destroy -s "$1"
}

if [ "${LINT:-1}" = 1 ]; then
  step "lint: yamllint" yamllint --strict .
  step "lint: ansible-lint (production profile)" ansible-lint --profile production
  step "lint: argument_specs mirror defaults" python3 scripts/check_specs.py
  step "lint: every collection used is in requirements.yml" python3 scripts/check_collections.py
  step "lint: README tables mirror argument_specs" python3 scripts/check_readme_vars.py
  step "collection: ansible-test sanity on the built tarball" scripts/collection.sh sanity
  step "collection: the plugins' unit tests (pytest)" scripts/collection.sh units
fi

# The scenarios run in two lanes side by side (`|` separates them; each lane runs its
# scenarios one after the other): their hosts, networks and ports are their own. Measured
# on 2 cores: each step ran 1.4-1.8x slower beside another, the whole suite took 40 min
# against 50 one after the other. default and cluster share a lane because both build
# the app `demo` in one controller cache (app_build_dir; upgrade builds it in a cache of
# its own). Every scenario must be in exactly one lane.
# SCENARIOS="default ssh" runs only those, one after the other (LINT=0 skips the lint steps).
lanes=${SCENARIOS:-"ssh emperor acme upgrade | default cluster collection"}
for dir in molecule/*/molecule.yml; do
  name=$(basename "$(dirname "$dir")")
  [ -n "${SCENARIOS:-}" ] || [ "$(tr ' |' '\n\n' <<< "$lanes" | grep -cx "$name")" = 1 ] ||
    step "scenario $name is in exactly one lane of scripts/test.sh" false
done
IFS='|' read -ra lane_list <<< "$lanes"
for lane in "${lane_list[@]}"; do
  ( for name in $lane; do scenario "$name"; done ) &
done
wait

why_failed() {  # the task and first error lines of a failed step's log, short enough for the end of a CI log
  awk '/^TASK \[/ { task = $0 } /fatal:|FAILED!|ERROR!|^ERROR|CRITICAL/ {
         if (task != shown) { print "  " substr(task, 1, 200); shown = task }
         print "  " substr($0, 1, 600); if (++n == 3) exit }' "$1"
}

passed=$(grep -c '^PASS ' "$results") failed=$(grep -c '^FAIL ' "$results")
if [ "$failed" -gt 0 ]; then  # each failure and why, last, where a reader of the log's end sees it
  sed -n 's/^FAIL //p' "$results" | head -n 3 | while read -r name; do
    echo "why: $name (.cache/test-logs/${name//[^A-Za-z0-9_.-]/_}.log)"
    why_failed ".cache/test-logs/${name//[^A-Za-z0-9_.-]/_}.log"
  done
  sed -n 's/^FAIL /failed: /p' "$results"
fi
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
