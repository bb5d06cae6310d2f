#!/usr/bin/env bash
# The collection as users get it: `build` makes the tarball from this checkout (what
# galaxy.yml's build_ignore leaves out stays out), `sanity` installs it into a clean path
# and runs `ansible-test sanity` there (each test in a virtualenv of its own: ansible-test's
# default, no container), `units` runs the plugins' unit tests with pytest.
#   scripts/collection.sh build|sanity|units
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH"
out=.cache/collection

build() {
  rm -rf "$out/dist" && mkdir -p "$out/dist"
  ansible-galaxy collection build --output-path "$out/dist" . >/dev/null
  ls "$out"/dist/*.tar.gz
}

sanity() {
  build >/dev/null
  # Outside the checkout: ansible-test asks git which files to test, and .cache is ignored.
  path=$(mktemp -d "${TMPDIR:-/tmp}/pywebstack-sanity.XXXXXX")
  trap 'rm -rf "$path"' EXIT
  # From outside the checkout: its ansible.cfg names the checkout as the collection path,
  # where ansible-galaxy would find the collection already installed. --force for the same
  # reason: a copy in ~/.ansible/collections (a user's `ansible-galaxy collection install`)
  # also counts as installed, and the clean path would stay empty.
  (cd /tmp && ansible-galaxy collection install --no-deps --force -p "$path" "$OLDPWD"/$out/dist/*.tar.gz >/dev/null)
  # ansible-test downloads a pip bootstrap script from a site this machine cannot reach;
  # it takes a cached copy instead (scripts/ansible_test_get_pip.py says why).
  local version; version=$(grep -oP "^\s*pip='\K[0-9.]+" .venv/lib/python3*/site-packages/ansible_test/_internal/python_requirements.py)
  mkdir -p ~/.ansible/test/cache
  cp scripts/ansible_test_get_pip.py ~/.ansible/test/cache/get_pip_"${version//./_}".py
  cd "$path/ansible_collections/pywebstack/webstack"
  ansible-test sanity --python "$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')" --color no
}

units() {
  python3 -m pytest -q tests/unit
}

"${1:?usage: scripts/collection.sh build|sanity|units}"
