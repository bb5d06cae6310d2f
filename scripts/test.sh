#!/usr/bin/env bash
# The whole test suite: set-up, lint, then every Molecule scenario, each step counted.
# Ends with one line `N passed, N failed`; exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh || { echo "0 passed, 1 failed"; exit 1; }
export PATH="$PWD/.venv/bin:$PATH" PY_COLORS=0 ANSIBLE_FORCE_COLOR=0
mkdir -p .cache/test-logs
passed=0 failed=0 failures=()

step() {  # step NAME COMMAND...: run, log, count
  local name=$1; shift
  local log=".cache/test-logs/${name//[^A-Za-z0-9_.-]/_}.log"
  printf '%-55s ' "$name"
  if "$@" >"$log" 2>&1; then
    echo PASS; passed=$((passed + 1))
  else
    echo "FAIL (log: $log)"; tail -n 40 "$log" | sed 's/^/    /'
    failed=$((failed + 1)); failures+=("$name")
  fi
}

check_mode_clean() {  # --check --diff on the converged hosts must report no change
  molecule converge -s "$1" -- --check --diff > ".cache/test-logs/check-$1.out" 2>&1
  local rc=$?; cat ".cache/test-logs/check-$1.out"
  [ $rc -eq 0 ] && grep -q 'PLAY RECAP' ".cache/test-logs/check-$1.out" &&
    ! grep -E '^\S+\s+: ok=' ".cache/test-logs/check-$1.out" | grep -qv 'changed=0 '
}

if [ "${LINT:-1}" = 1 ]; then
  step "lint: yamllint" yamllint --strict .
  step "lint: ansible-lint (production profile)" ansible-lint --profile production
  step "lint: argument_specs mirror defaults" python3 scripts/check_specs.py
  step "lint: every collection used is in requirements.yml" python3 scripts/check_collections.py
  step "lint: README tables mirror argument_specs" python3 scripts/check_readme_vars.py
fi

# SCENARIOS="default ssh" runs only those (and LINT=0 skips the lint steps).
for scenario in ${SCENARIOS:-$(ls molecule)}; do
  [ -f "molecule/$scenario/molecule.yml" ] || continue
  molecule destroy -s "$scenario" >/dev/null 2>&1
  step "molecule $scenario: syntax" molecule syntax -s "$scenario"
  step "molecule $scenario: create" molecule create -s "$scenario"
  step "molecule $scenario: converge" molecule converge -s "$scenario"
  step "molecule $scenario: idempotence" molecule idempotence -s "$scenario"
  step "molecule $scenario: --check --diff reports no change" check_mode_clean "$scenario"
  step "molecule $scenario: verify" molecule verify -s "$scenario"
  step "molecule $scenario: destroy" molecule destroy -s "$scenario"
done

[ ${#failures[@]} -eq 0 ] || printf 'failed: %s\n' "${failures[@]}"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
