#!/usr/bin/env bash
# Start a local container host running systemd, deploy the stack to it with site.yml
# and inventory/demo, and print the URL where the app answers through Nginx and uWSGI.
# DEMO_DISTRO=debian13 picks Debian 13; DEMO_PORT the local HTTP port (default 8080),
# DEMO_TLS_PORT the local HTTPS port (default 8443).
set -euo pipefail
cd "$(dirname "$0")/.."
distro=${DEMO_DISTRO:-debian12}
port=${DEMO_PORT:-8080}
tls_port=${DEMO_TLS_PORT:-8443}
name=pywebstack-demo

DISTROS=$distro scripts/setup.sh
image=$(scripts/build-image.sh "$distro")
if ! docker container inspect "$name" >/dev/null 2>&1; then
  echo "==> starting $name from $image" >&2
  # systemd as PID 1 without --privileged: the flags of the platforms in molecule/*/molecule.yml.
  docker run -d --name "$name" --hostname "$name" \
    --cap-add SYS_ADMIN --cgroupns=host --security-opt seccomp=unconfined \
    -v /sys/fs/cgroup:/sys/fs/cgroup:rw --tmpfs /run --tmpfs /run/lock \
    -p "127.0.0.1:${port}:80" -p "127.0.0.1:${tls_port}:443" "$image" >/dev/null
fi
docker start "$name" >/dev/null
for _ in $(seq 30); do
  state=$(docker exec "$name" systemctl is-system-running 2>/dev/null || true)
  case "$state" in running|degraded) break ;; esac
  sleep 1
done
echo "==> deploying with site.yml -i inventory/demo" >&2
.venv/bin/ansible-playbook site.yml -i inventory/demo \
  --vault-password-file inventory/demo/vault-password.txt \
  --extra-vars "demo_https_port=${tls_port}" "$@"
url="https://localhost:${tls_port}/"
# The demo's certificate is self-signed by the role: fetch it and trust exactly it.
ca=.cache/demo-ca.pem
mkdir -p .cache
docker exec "$name" cat /etc/nginx/tls/demo.crt > "$ca"
for _ in $(seq 20); do
  curl -fsS --cacert "$ca" -o /dev/null "$url" && break
  sleep 1
done
curl -fsS --cacert "$ca" "${url}healthz" >/dev/null
echo
echo "The demo app answers through Nginx and uWSGI at: $url"
echo "  http://localhost:${port}/ redirects there; the self-signed certificate is in $ca"
echo "  try: curl --cacert $ca ${url}healthz   stop it: docker rm -f $name"
