# The project's entry points. `make demo` and `make test` set up everything they need.
.PHONY: setup lint test demo demo-clean bench

setup:  ## Docker engine, debootstrap, pinned Python tools in .venv, base images
	scripts/setup.sh

lint: setup  ## yamllint, ansible-lint (production profile), argument_specs vs defaults, collections, README tables, ansible-test sanity
	.venv/bin/yamllint --strict .
	PATH="$(CURDIR)/.venv/bin:$$PATH" .venv/bin/ansible-lint --profile production
	.venv/bin/python scripts/check_specs.py
	.venv/bin/python scripts/check_collections.py
	.venv/bin/python scripts/check_readme_vars.py
	scripts/collection.sh sanity
	scripts/collection.sh units

test:  ## lint plus every Molecule scenario; ends with "N passed, N failed"
	scripts/test.sh

demo:  ## a local systemd container deployed by site.yml -i inventory/demo
	scripts/demo.sh

demo-clean:  ## remove the demo container
	docker rm -f pywebstack-demo

bench:  ## the benchmark (not part of test): 4 variants under wrk, site.yml's own times over SSH and Docker, a reload under load, a fresh host's converge, a fleet of split tiers, a code-only release (pip, uv); see bench/README.md
	bench/run.sh
	bench/ansible-times.sh
	bench/reload.sh
	bench/fresh.sh
	bench/fleet.sh
	bench/release.sh
