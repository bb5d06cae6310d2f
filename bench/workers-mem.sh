#!/bin/sh
# Run inside the bench container: the memory of a service's worker processes, i.e. the
# children of the unit's main process (uWSGI's master, Gunicorn's arbiter), as one JSON
# line. RSS counts pages shared with the master once per worker; PSS splits them.
# Usage: workers-mem.sh UNIT
set -eu
main=$(systemctl show -p MainPID --value "$1")
[ "$main" -gt 0 ] || { echo "unit $1 has no main process" >&2; exit 1; }
n=0 rss=0 pss=0
for pid in $(ps -o pid= --ppid "$main"); do
  # A child that exits meanwhile (a worker being replaced) is left out, not an error.
  r=$(awk '/^VmRSS:/ {print $2}' "/proc/$pid/status" 2>/dev/null) || continue
  p=$(awk '/^Pss:/ {print $2}' "/proc/$pid/smaps_rollup" 2>/dev/null) || continue
  n=$((n + 1)) rss=$((rss + r)) pss=$((pss + p))
done
master=$(awk '/^VmRSS:/ {print $2}' "/proc/$main/status")
printf '{"workers": %d, "rss_kib": %d, "pss_kib": %d, "master_rss_kib": %d}\n' "$n" "$rss" "$pss" "$master"
