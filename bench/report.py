"""Turn bench/run.sh's raw outputs into results.json, results.md and chart.png.

Usage: bench/.venv/bin/python bench/report.py bench/results
       bench/.venv/bin/python bench/report.py snapshot CONTAINER_ID   (run.sh, per load run)

Reads RESULTS/raw/: meta.txt (KEY=value) and, per variant, workload, concurrency N and
round R: VARIANT-WORKLOAD-cN-rR.out.txt (wrk's output with the BENCH_JSON line of
bench/summary.lua, or h2load's), .mem.json (bench/workers-mem.sh), .host.txt (CPU use of
the machine and of the bench container during the run) and .ps0/.ps1 (CPU time per
process before and after, to name what ran beside the benchmark). Prints the tables, the
ratios against their targets and Ansible's timings.
"""

import json
import re
import statistics
import sys
from pathlib import Path

VARIANTS = [
    ("defaults", "Defaults", "Nginx -> uWSGI on a unix socket, the roles' defaults"),
    ("article", "Article", "Nginx -> uWSGI on TCP 127.0.0.1:8700 with the article's workers and logging, through the roles"),
    ("uwsgi-alone", "uWSGI alone", "the defaults' uWSGI answering HTTP/1.1 itself (http11-socket, keep-alive), no proxy"),
    ("gunicorn", "Gunicorn", "Nginx -> Gunicorn on 127.0.0.1:8000, (2 x cores) + 1 sync workers"),
    ("article-files", "Article's files", "the article's literal uwsgi.ini, run by hand, behind its literal nginx.conf (bench/article/)"),
    ("old-defaults", "Old defaults", "the roles' defaults before issue 18: 4 threads and uWSGI's thunder lock"),
]
WORKLOADS = [
    ("cpu", "CPU-bound: GET /healthz"),
    ("wait", "Waiting: GET /work?wait_ms=50"),
    ("page", "Mixed page: GET /page?rows=300&wait_ms=5"),
    ("static", "Static file: GET /static/style.css"),
    ("tls-new", "HTTPS, a new connection per request (handshakes/s, sessions resumed)"),
    ("tls-h1", "HTTPS keep-alive, HTTP/1.1 (h2load --h1 -m 1)"),
    ("tls-h2", "HTTPS keep-alive, HTTP/2 (h2load -m 1)"),
]
LABELS = {v: label for v, label, _ in VARIANTS}
WORKLOAD_LABELS = dict(WORKLOADS)
# defaults / VARIANT must be at least this, per workload (issue 18). "*" is every workload.
TARGETS = {
    "article": {"*": 1.0, "cpu": 1.5},
    "article-files": {"*": 1.0, "cpu": 1.5},
    "uwsgi-alone": {"cpu": 0.95},
    "gunicorn": {"wait": 3.0},
}
ERRORS_AT = 1024  # the defaults must have no error at this concurrency, on every workload
RUN_FILE = re.compile(
    r"^(?P<variant>" + "|".join(re.escape(v) for v, _, _ in VARIANTS) + r")-(?P<workload>"
    + "|".join(re.escape(w) for w, _ in WORKLOADS) + r")-c(?P<conns>\d+)-r(?P<round>\d+)\.out\.txt$")


def read_kv(path: Path) -> dict:
    out = {}
    if path.exists():
        for line in path.read_text().splitlines():
            key, sep, value = line.partition("=")
            if sep:
                out[key.strip()] = value.strip()
    return out


def num(value, default=None):
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def ms(us) -> str:
    if us is None:
        return "-"
    return f"{us / 1000:.1f} ms" if us < 1_000_000 else f"{us / 1_000_000:.2f} s"


# --- The CPU snapshot run.sh takes around each measurement ---------------------------------

def snapshot(container_id: str) -> None:
    """Print each process's CPU ticks (utime + stime), whether it is in the bench
    container's cgroup, and its name (never its arguments), as JSON."""
    out = {}
    for d in Path("/proc").iterdir():
        if not d.name.isdigit():
            continue
        try:
            stat = (d / "stat").read_text()
            in_bench = container_id in (d / "cgroup").read_text()
            cmd = (d / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2:].split()
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        # The program, or the script a Python runs.
        argv = cmd.split(" ")
        name = argv[0].rsplit("/", 1)[-1] if cmd else comm
        if name.startswith("python") and len(argv) > 1 and not argv[1].startswith("-"):
            name = argv[1].rsplit("/", 1)[-1]
        out[d.name] = [int(fields[11]) + int(fields[12]), in_bench, comm, name]
    print(json.dumps(out))


def outside_consumers(base: str, hz: float, top: int = 3) -> list:
    """The programs outside the bench container that used the most CPU between the two
    snapshots (processes that started and ended in between are not seen)."""
    try:
        before = json.loads(Path(base + ".ps0").read_text())
        after = json.loads(Path(base + ".ps1").read_text())
    except (OSError, ValueError):
        return []
    used = {}
    for pid, (ticks, in_bench, comm, name) in after.items():
        if in_bench:
            continue
        prev = before.get(pid)
        delta = ticks - (prev[0] if prev and prev[2] == comm else 0)
        if delta > 0:
            used[name] = used.get(name, 0) + delta
    ranked = sorted(used.items(), key=lambda kv: -kv[1])[:top]
    return [{"process": name, "cpu_s": round(ticks / hz, 1)} for name, ticks in ranked]


def inside_split(base: str, hz: float, bench_busy_s) -> dict:
    """CPU seconds inside the bench container during a run, by what used them: Nginx, the
    app server (uWSGI or Gunicorn) and the rest. The load generator starts and ends between
    the two snapshots, so it is never in them: the rest (the container's cgroup total minus
    the processes seen) is the load generator, and the docker exec that starts it."""
    try:
        before = json.loads(Path(base + ".ps0").read_text())
        after = json.loads(Path(base + ".ps1").read_text())
    except (OSError, ValueError):
        return {}
    used = {"nginx": 0, "app": 0, "seen_other": 0}
    for pid, (ticks, in_bench, comm, _name) in after.items():
        if not in_bench:
            continue
        prev = before.get(pid)
        delta = ticks - (prev[0] if prev and prev[2] == comm else 0)
        key = "nginx" if comm == "nginx" else "app" if comm.startswith(("uwsgi", "gunicorn")) else "seen_other"
        used[key] += max(0, delta)
    out = {k: round(v / hz, 2) for k, v in used.items()}
    if bench_busy_s is not None:
        out["load_generator"] = round(max(0.0, bench_busy_s - sum(out.values())), 2)
    return out


# --- Reading the load generators' outputs ----------------------------------------------------

def parse_wrk(text: str, path: Path) -> dict:
    found = re.search(r"^BENCH_JSON (\{.*\})$", text, re.M)
    if not found:
        raise SystemExit(f"no BENCH_JSON line in {path}")
    s = json.loads(found[1])
    e = s["errors"]
    return {
        "requests": int(s["requests"]),
        "seconds": s["duration_us"] / 1e6,
        "latency_us": {"p50": s["latency_us"]["p50"], "p99": s["latency_us"]["p99"], "mean": s["latency_us"]["mean"]},
        "non_2xx_3xx": int(e["status"]),
        "socket_errors": {k: int(e[k]) for k in ("connect", "read", "write", "timeout")},
    }


UNITS_US = {"us": 1, "ms": 1000, "s": 1_000_000}


def parse_h2load(text: str, path: Path) -> dict:
    fin = re.search(r"^finished in ([\d.]+)(m?s), ([\d.]+) req/s", text, re.M)
    req = re.search(r"^requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, "
                    r"(\d+) errored, (\d+) timeout", text, re.M)
    codes = re.search(r"^status codes: (\d+) 2xx, (\d+) 3xx, (\d+) 4xx, (\d+) 5xx", text, re.M)
    lat = re.search(r"^time for request:\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)\s+([\d.]+)(us|ms|s)", text, re.M)
    if not (fin and req and codes):
        raise SystemExit(f"cannot read h2load's output in {path}")
    seconds = float(fin[1]) / (1000 if fin[2] == "ms" else 1)
    mean = float(lat[5]) * UNITS_US[lat[6]] if lat else None
    return {
        "requests": int(req[3]),  # done: answered, whatever the status
        "seconds": seconds,
        # h2load gives no percentiles: its mean is reported in their place, marked.
        "latency_us": {"p50": None, "p99": None, "mean": mean},
        "non_2xx_3xx": int(codes[3]) + int(codes[4]),
        # h2load's failed (connection or protocol errors), errored and timed-out requests.
        "socket_errors": {"connect": int(req[5]), "read": int(req[6]), "write": 0, "timeout": int(req[7])},
    }


def load_runs(raw: Path, meta: dict) -> list:
    cores = num(meta.get("cores"), 1.0)
    vorder = {v: i for i, (v, _, _) in enumerate(VARIANTS)}
    worder = {w: i for i, (w, _) in enumerate(WORKLOADS)}
    runs = []
    for out_file in raw.glob("*.out.txt"):
        name = RUN_FILE.match(out_file.name)
        if not name:
            continue
        text = out_file.read_text()
        parsed = parse_h2load(text, out_file) if name["workload"] in ("tls-h1", "tls-h2") else parse_wrk(text, out_file)
        base = str(out_file).removesuffix(".out.txt")
        mem_path = Path(base + ".mem.json")
        mem = json.loads(mem_path.read_text()) if mem_path.exists() else {}
        host = read_kv(Path(base + ".host.txt"))
        wall, host_busy, bench_busy = num(host.get("wall_s")), num(host.get("host_busy_s")), num(host.get("bench_busy_s"))
        seconds = parsed["seconds"]
        runs.append({
            "variant": name["variant"],
            "workload": name["workload"],
            "connections": int(name["conns"]),
            "round": int(name["round"]),
            "command": host.get("command"),
            "requests": parsed["requests"],
            "seconds": round(seconds, 2),
            "rps": round(parsed["requests"] / seconds, 1) if seconds else 0.0,
            "latency_us": parsed["latency_us"],
            "non_2xx_3xx": parsed["non_2xx_3xx"],
            "socket_errors": parsed["socket_errors"],
            "errors": parsed["non_2xx_3xx"] + sum(parsed["socket_errors"].values()),
            "workers": mem.get("workers"),
            "workers_rss_mib": round(mem["rss_kib"] / 1024, 1) if "rss_kib" in mem else None,
            "workers_pss_mib": round(mem["pss_kib"] / 1024, 1) if "pss_kib" in mem else None,
            "master_rss_mib": round(mem["master_rss_kib"] / 1024, 1) if "master_rss_kib" in mem else None,
            "machine_cpu_busy_pct": round(host_busy / (wall * cores) * 100, 1) if wall and host_busy is not None else None,
            "other_cpu_pct": (round(max(0.0, host_busy - bench_busy) / (wall * cores) * 100, 1)
                              if wall and host_busy is not None and bench_busy is not None else None),
            "other_top_processes": outside_consumers(base, num(host.get("clk_tck"), 100.0)),
            "inside_cpu_s": inside_split(base, num(host.get("clk_tck"), 100.0), bench_busy),
            "nginx_worker_connections_alerts": int(num(host.get("nginx_worker_connections_alerts"), 0)),
            "loadavg_before": host.get("loadavg_before"),
            "other_containers": [c for c in host.get("others", "").split(",") if c],
        })
    runs.sort(key=lambda r: (worder[r["workload"]], vorder[r["variant"]], r["connections"], r["round"]))
    return runs


def mean_or_none(values):
    values = [v for v in values if v is not None]
    return round(statistics.mean(values)) if values else None


def summarize(runs: list) -> list:
    """One row per workload, variant and concurrency over the rounds: mean req/s and
    latency, every error added up, the largest memory and outside CPU."""
    rows = {}
    for r in runs:
        rows.setdefault((r["workload"], r["variant"], r["connections"]), []).append(r)
    out = []
    for (workload, variant, conns), rs in rows.items():
        out.append({
            "workload": workload,
            "variant": variant,
            "label": LABELS[variant],
            "connections": conns,
            "rounds": len(rs),
            "rps_mean": round(statistics.mean(r["rps"] for r in rs), 1),
            "rps_by_round": [r["rps"] for r in rs],
            "p50_us_mean": mean_or_none(r["latency_us"]["p50"] for r in rs),
            "p99_us_mean": mean_or_none(r["latency_us"]["p99"] for r in rs),
            "latency_mean_us": mean_or_none(r["latency_us"]["mean"] for r in rs),
            "non_2xx_3xx_total": sum(r["non_2xx_3xx"] for r in rs),
            "socket_errors_total": {k: sum(r["socket_errors"][k] for r in rs) for k in ("connect", "read", "write", "timeout")},
            "errors_total": sum(r["errors"] for r in rs),
            "workers": rs[-1]["workers"],
            "workers_rss_mib_max": max((r["workers_rss_mib"] or 0) for r in rs),
            "workers_pss_mib_max": max((r["workers_pss_mib"] or 0) for r in rs),
            "other_cpu_pct_max": max((r["other_cpu_pct"] or 0) for r in rs),
            # CPU per request inside the container, by component (mean of the rounds').
            "cpu_us_per_request": {
                k: mean_or_none(r["inside_cpu_s"][k] / r["requests"] * 1e6 for r in rs
                                if r["requests"] and k in r["inside_cpu_s"])
                for k in ("nginx", "app", "load_generator")},
        })
    return out


def ratios(summary: list, runs: list) -> list:
    """defaults / VARIANT per workload and concurrency, with its target where there is one."""
    mean = {(s["workload"], s["variant"], s["connections"]): s["rps_mean"] for s in summary}
    by_round = {(r["workload"], r["variant"], r["connections"], r["round"]): r["rps"] for r in runs}
    conns = sorted({s["connections"] for s in summary})
    rounds = sorted({r["round"] for r in runs})
    out = []
    for workload, _ in WORKLOADS:
        for variant, _, _ in VARIANTS[1:]:
            targets = TARGETS.get(variant, {})
            target = targets.get(workload, targets.get("*"))
            per = {}
            for c in conns:
                a, b = mean.get((workload, "defaults", c)), mean.get((workload, variant, c))
                if not a or not b:
                    continue
                each = [round(by_round[(workload, "defaults", c, n)] / by_round[(workload, variant, c, n)], 2)
                        for n in rounds if by_round.get((workload, "defaults", c, n)) and by_round.get((workload, variant, c, n))]
                per[str(c)] = {"ratio": round(a / b, 2), "by_round": each,
                               "met": None if target is None else a / b >= target}
            if per:
                mets = [v["met"] for v in per.values()]
                out.append({"workload": workload, "variant": variant, "ratio": f"defaults / {variant}", "target": target,
                            "by_connections": per,
                            "met": None if target is None else all(mets),
                            "met_at": [c for c, v in per.items() if v["met"]]})
    return out


def http2_ratio(summary: list) -> dict:
    """HTTP/2 over HTTP/1.1 on the defaults' TLS site, per concurrency."""
    mean = {(s["workload"], s["connections"]): s["rps_mean"] for s in summary if s["variant"] == "defaults"}
    return {str(c): round(mean[("tls-h2", c)] / mean[("tls-h1", c)], 2)
            for (w, c) in mean if w == "tls-h2" and mean.get(("tls-h1", c))}


def error_check(summary: list) -> dict:
    rows = [s for s in summary if s["variant"] == "defaults" and s["connections"] == ERRORS_AT]
    bad = [f"{s['workload']}: {s['errors_total']}" for s in rows if s["errors_total"]]
    return {"connections": ERRORS_AT, "workloads": [s["workload"] for s in rows], "met": (not bad) if rows else None, "errors": bad}


def memory_check(summary: list) -> dict:
    """The defaults' workers' memory (largest RSS after any run) against the article's."""
    def largest(variant, key):
        values = [s[key] for s in summary if s["variant"] == variant and s[key]]
        return max(values) if values else None
    d_rss, a_rss = largest("defaults", "workers_rss_mib_max"), largest("article", "workers_rss_mib_max")
    d_pss, a_pss = largest("defaults", "workers_pss_mib_max"), largest("article", "workers_pss_mib_max")
    return {"defaults_rss_mib": d_rss, "article_rss_mib": a_rss, "defaults_pss_mib": d_pss, "article_pss_mib": a_pss,
            "met": None if d_rss is None or a_rss is None else d_rss <= a_rss}


# --- Ansible -----------------------------------------------------------------------------

def slowest_tasks(log: Path, count: int = 6) -> list:
    """The slowest tasks from profile_tasks' recap at the end of an ansible-playbook log."""
    if not log.exists():
        return []
    text = log.read_text()
    tail = text.split("TASKS RECAP", 1)[1] if "TASKS RECAP" in text else ""
    tasks = [(m[1].strip(), float(m[2])) for m in re.finditer(r"^(\S.*?) -{3,} (\d+\.\d+)s$", tail, re.M)]
    return [{"task": t, "seconds": sec} for t, sec in tasks[:count]]


def recap_counts(log: Path) -> str:
    """ok= and skipped= of the PLAY RECAP line."""
    found = re.search(r"^\S+\s+: ok=(\d+) .*skipped=(\d+)", log.read_text(), re.M) if log.exists() else None
    return f"ok={found[1]}, skipped={found[2]}" if found else "?"


def ansible_summary(meta: dict, raw: Path) -> dict:
    def runs_of(prefix):
        out, i = [], 1
        while f"{prefix}_{i}_s" in meta:
            out.append({"s": num(meta[f"{prefix}_{i}_s"]), "changed": int(num(meta.get(f"{prefix}_{i}_changed"), -1))})
            i += 1
        return out

    switches = {k.removeprefix("converge_to_").removesuffix("_s"): num(v) for k, v in meta.items() if k.startswith("converge_to_")}
    return {
        "fresh_converge_s": num(meta.get("converge_fresh_s")),
        "fresh_converge_changed": int(num(meta.get("converge_fresh_changed"), -1)),
        "rerun_s": num(meta.get("converge_rerun_s")),
        "rerun_changed": int(num(meta.get("converge_rerun_changed"), -1)),
        "variant_switches_s": switches,
    }


# --- Output ------------------------------------------------------------------------------

def worker_config(raw: Path, variant: str, meta: dict) -> str:
    if variant == "gunicorn":
        return f"{meta.get('gunicorn_workers', '?')} sync workers (Gunicorn {meta.get('gunicorn_version', '?')})"
    if variant == "article-files":
        return "10 processes x 4 threads, socket 127.0.0.1:8700, per-request log on, no thunder lock, no sandbox; Nginx worker_connections 1024, no security headers"
    ini = read_kv(raw / f"uwsgi-ini-{variant}.txt")
    if not ini:
        return "not measured"
    parts = [f"{ini.get('processes', '?')} processes x {ini.get('threads', '?')} threads", f"socket {ini.get('socket', '?')}"]
    if "http11-socket" in ini:
        parts.append(f"http11-socket {ini['http11-socket']}")
    parts.append("thunder lock " + ("on" if ini.get("thunder-lock") == "true" else "off"))
    parts.append("per-request log " + ("off" if ini.get("disable-logging") == "true" else "on"))
    return ", ".join(parts)


def yes(flag) -> str:
    return "-" if flag is None else ("yes" if flag else "**no**")


def markdown(meta: dict, runs: list, summary: list, rat: list, ans: dict, raw: Path) -> str:
    cores = meta.get("cores", "?")
    mem_gib = num(meta.get("mem_kib"), 0) / 1024 / 1024
    conns = sorted({s["connections"] for s in summary})
    rounds = sorted({r["round"] for r in runs})
    others = sorted({c for r in runs for c in r["other_containers"]}
                    | {c for c in (meta.get("others_at_start", "") + "," + meta.get("others_at_end", "")).split(",") if c})
    tests = [c for c in others if c.startswith("pywebstack-debian")]
    lines = [
        "# Benchmark results",
        "",
        f"Run {meta.get('started', '?')} to {meta.get('finished', '?')} by `make bench`: **{cores} cores** (`nproc`), "
        f"**{mem_gib:.1f} GiB** memory, {meta.get('cpu_model', '?')}, kernel {meta.get('kernel', '?')}; "
        f"{meta.get('nginx_version', 'nginx ?')}; load average {meta.get('loadavg_at_start', '?')} at the start.",
        f"wrk ({meta.get('wrk_version', '?').split(' [')[0]}) and h2load ({meta.get('h2load_version', '?')}) ran inside the "
        f"container against 127.0.0.1, {meta.get('tool_threads')} threads, {meta.get('duration')} per run after a "
        f"{meta.get('warmup')} warm-up at the same concurrency, wrk's timeout {meta.get('wrk_timeout')}, with fresh workers "
        f"for every workload; the load generator, Nginx and the app server share the same {cores} cores. "
        + (f"{len(rounds)} rounds, every second one in reverse order; req/s is the mean of the rounds (each round's in "
           "brackets), latencies the mean of the rounds' percentiles, errors the sum over the rounds, memory the largest "
           "after a run." if len(rounds) > 1 else "One round."),
        "",
    ]
    if others:
        lines.append(f"Other containers running during the run: {', '.join(others)}"
                     + (" (another test suite was running)." if tests else "."))
        lines.append("")
    busy = [r for r in runs if (r["other_cpu_pct"] or 0) >= 5]
    if busy:
        lines += ["**CPU used outside the bench container during a measurement (5% of the machine or more); "
                  "compare these figures with care:**", ""]
        for r in busy:
            who = ", ".join(f"{p['process']} {p['cpu_s']} s" for p in r["other_top_processes"]) or "processes that came and went"
            lines.append(f"- {LABELS[r['variant']]}, {r['workload']}, {r['connections']} conns, "
                         f"round {r['round']}: {r['other_cpu_pct']}% of the machine; seen: {who}")
    else:
        worst = max((r["other_cpu_pct"] or 0) for r in runs) if runs else 0
        lines.append(f"Nothing outside the bench container used 5% of the machine or more during a measurement (at most {worst}%).")
    lines += ["", "Variants as deployed:", ""]
    for variant, label, what in VARIANTS:
        if any(s["variant"] == variant for s in summary):
            lines.append(f"- **{label}**: {what}: {worker_config(raw, variant, meta)}.")

    lines += ["", "## Every run", ""]
    for workload, wlabel in WORKLOADS:
        rows = [s for s in summary if s["workload"] == workload]
        if not rows:
            continue
        h2 = workload in ("tls-h1", "tls-h2")
        lines += [f"### {wlabel}", "",
                  "| Variant | Conns | Req/s (rounds) | " + ("mean latency | " if h2 else "p50 | p99 | ")
                  + "Non-2xx/3xx | " + ("Failed/errored/timeout" if h2 else "Socket errors c/r/w/t")
                  + " | Workers | Workers' RSS (PSS) |",
                  "| --- | ---: | ---: | " + ("---: | " if h2 else "---: | ---: | ") + "---: | --- | ---: | ---: |"]
        for s in rows:
            e = s["socket_errors_total"]
            each = ", ".join(f"{x:,.0f}" for x in s["rps_by_round"])
            lat = f"{ms(s['latency_mean_us'])} | " if h2 else f"{ms(s['p50_us_mean'])} | {ms(s['p99_us_mean'])} | "
            errs = f"{e['connect']}/{e['read']}/{e['timeout']}" if h2 else f"{e['connect']}/{e['read']}/{e['write']}/{e['timeout']}"
            lines.append(f"| {s['label']} | {s['connections']} | {s['rps_mean']:,.0f} ({each}) | {lat}{s['non_2xx_3xx_total']} | "
                         f"{errs} | {s['workers']} | {s['workers_rss_mib_max']} MiB ({s['workers_pss_mib_max']} MiB) |")
        lines.append("")
    split = [s for s in summary if s["workload"] == "cpu" and any(s["cpu_us_per_request"].values())]
    if split:
        lines += ["Where the CPU of a CPU-bound request went, inside the container (microseconds of CPU per request; "
                  "the load generator's share is the container's total minus Nginx and the app server):", "",
                  "| Variant | Conns | Nginx | App server | Load generator | Total |", "| --- | ---: | ---: | ---: | ---: | ---: |"]
        for s in split:
            c = s["cpu_us_per_request"]
            total = sum(v for v in c.values() if v is not None)
            lines.append(f"| {s['label']} | {s['connections']} | {c['nginx'] if c['nginx'] is not None else '-'} | "
                         f"{c['app'] if c['app'] is not None else '-'} | {c['load_generator'] if c['load_generator'] is not None else '-'} | {total} |")
        lines.append("")
    alerts = [r for r in runs if r["nginx_worker_connections_alerts"] > 0]
    if alerts:
        lines += ["Nginx logged `worker_connections are not enough` (it then closes idle keep-alive connections, "
                  "which wrk counts as read errors, or fails a request) during:", ""]
        lines += [f"- {LABELS[r['variant']]}, {r['workload']}, {r['connections']} conns, round {r['round']}: "
                  f"{r['nginx_worker_connections_alerts']} times" for r in alerts]
        lines.append("")
    if meta.get("tls_resumed") is not None:
        resumed, full = int(num(meta.get("tls_resumed"), 0)), int(num(meta.get("tls_full_handshakes"), 0))
        share = resumed / (resumed + full) * 100 if resumed + full else 0
        lines += [f"TLS session resumption (a 3 s check of wrk's new connections, Nginx's `$ssl_session_reused`): "
                  f"{resumed:,} resumed, {full:,} full handshakes ({share:.1f}% resumed), {meta.get('tls_protocols', '?')}.", ""]

    lines += ["## Ratios: req/s of the defaults divided by the other variant's (mean of rounds; each round's in brackets)", "",
              "| Workload | Ratio | " + " | ".join(f"{c} conns" for c in conns) + " | Target | Met |",
              "| --- | --- | " + " | ".join("---:" for _ in conns) + " | ---: | --- |"]
    for x in rat:
        cells = []
        for c in conns:
            v = x["by_connections"].get(str(c))
            cells.append("-" if not v else f"{v['ratio']:.2f} ({', '.join(f'{b:.2f}' for b in v['by_round'])})"
                         + (" missed" if v["met"] is False else ""))
        target = "-" if x["target"] is None else f">= {x['target']:g}"
        met = yes(x["met"]) if x["met"] is not False or not x["met_at"] else "at " + ", ".join(x["met_at"]) + " conns only"
        lines.append(f"| {x['workload']} | {x['ratio']} | " + " | ".join(cells) + f" | {target} | {met} |")
    h2 = http2_ratio(summary)
    if h2:
        lines += ["", "HTTP/2 against HTTP/1.1 on the defaults' TLS site (h2load, req/s of h2 / http/1.1): "
                  + ", ".join(f"{c} conns {v:.2f}" for c, v in sorted(h2.items(), key=lambda kv: int(kv[0]))) + "."]
    err = error_check(summary)
    mem = memory_check(summary)
    lines += ["",
              f"Errors of the defaults at {err['connections']} connections (socket errors, timeouts and non-2xx/3xx, "
              f"on {', '.join(err['workloads']) or 'no workload'}): "
              + {True: "none: **met**.", None: "not measured."}.get(err["met"], f"**missed**: {'; '.join(err['errors'])}."),
              f"Workers' memory, the largest after any run: defaults {mem['defaults_rss_mib']} MiB RSS "
              f"({mem['defaults_pss_mib']} MiB PSS) against the article's {mem['article_rss_mib']} MiB "
              f"({mem['article_pss_mib']} MiB): " + {True: "**met**.", False: "**missed**.", None: "not measured."}[mem["met"]],
              ""]

    def fmt(v):
        return "?" if v is None else f"{v:.1f} s"

    lines += ["## Ansible", "",
              "| Run | Connection | Wall time (each run) | changed | Target | Met |",
              "| --- | --- | ---: | ---: | --- | --- |",
              f"| Fresh converge of site.yml into the new container | docker | {fmt(ans['fresh_converge_s'])} | "
              f"{ans['fresh_converge_changed']} | - | - |"]
    lines.append(f"| No-change re-run of site.yml | docker | {fmt(ans['rerun_s'])} | {ans['rerun_changed']} | changed=0 | "
                 f"{yes(ans['rerun_changed'] == 0)} |")
    for key, seconds in ans["variant_switches_s"].items():
        target, _, rnd = key.rpartition("_r")
        lines.append(f"| site.yml switching to {target.replace('_', '-')} (round {rnd}) | docker | {fmt(seconds)} | | - | - |")
    lines.append("")
    return "\n".join(lines)


def chart(summary: list, meta: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    workloads = [(w, label) for w, label in WORKLOADS if any(s["workload"] == w for s in summary)]
    if not workloads:
        return
    conns = sorted({s["connections"] for s in summary})
    cols = min(4, len(workloads))
    rows = (len(workloads) + cols - 1) // cols
    fig, axes = plt.subplots(rows, cols, figsize=(4.2 * cols, 3.8 * rows), squeeze=False)
    by = {(s["workload"], s["variant"], s["connections"]): s for s in summary}
    for ax, (workload, label) in zip(axes.flat, workloads):
        variants = [(v, vl) for v, vl, _ in VARIANTS if any(s["workload"] == workload and s["variant"] == v for s in summary)]
        width = 0.8 / max(1, len(conns))
        for i, c in enumerate(conns):
            xs = [j + (i - (len(conns) - 1) / 2) * width for j in range(len(variants))]
            rows_ = [by.get((workload, v, c)) for v, _ in variants]
            ys = [row["rps_mean"] if row else 0 for row in rows_]
            ax.bar(xs, ys, width, label=f"{c} conns", color=f"C{i}")
            for x, row in zip(xs, rows_):
                if row and len(row["rps_by_round"]) > 1:
                    ax.plot([x] * len(row["rps_by_round"]), row["rps_by_round"], "k.", markersize=4)
        ax.set_xticks(range(len(variants)), [vl.replace(" ", "\n", 1) for _, vl in variants], fontsize=7)
        ax.set_title(label, fontsize=8)
        ax.tick_params(axis="y", labelsize=7)
        ax.grid(axis="y", alpha=0.3)
    for ax in list(axes.flat)[len(workloads):]:
        ax.axis("off")
    axes.flat[0].set_ylabel("requests per second (higher is better)", fontsize=8)
    axes.flat[0].legend(fontsize=7)
    fig.suptitle(f"{meta.get('cores', '?')} cores; bars: mean of {meta.get('rounds', '?')} rounds of "
                 f"{meta.get('duration')}, dots: each round", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "snapshot":
        snapshot(sys.argv[2])
        return
    results = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results")
    raw = results / "raw"
    meta = read_kv(raw / "meta.txt")
    runs = load_runs(raw, meta)
    summary = summarize(runs)
    rat = ratios(summary, runs)
    ans = ansible_summary(meta, raw)
    data = {
        "machine": {"cores": int(num(meta.get("cores"), 0)), "mem_kib": int(num(meta.get("mem_kib"), 0)),
                    "cpu_model": meta.get("cpu_model"), "kernel": meta.get("kernel")},
        "meta": meta, "summary": summary, "ratios": rat, "http2_over_http1": http2_ratio(summary),
        "errors_check": error_check(summary), "memory_check": memory_check(summary), "ansible": ans, "runs": runs,
    }
    (results / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    md = markdown(meta, runs, summary, rat, ans, raw)
    (results / "results.md").write_text(md)
    chart(summary, meta, results / "chart.png")
    print(md)
    print("Targets:")
    for x in rat:
        if x["target"] is None:
            continue
        per = ", ".join(f"{c} conns {v['ratio']:.2f}" for c, v in sorted(x["by_connections"].items(), key=lambda kv: int(kv[0])))
        verdict = "met" if x["met"] else "NOT met" + (f" (met at {', '.join(x['met_at'])} conns)" if x["met_at"] else "")
        print(f"  {x['workload']}: {x['ratio']}: {per} (target >= {x['target']:g}): {verdict}")
    err, mem = data["errors_check"], data["memory_check"]
    print(f"  defaults' errors at {err['connections']} conns: "
          + {True: "none: met", None: "not measured"}.get(err["met"], "NOT met: " + "; ".join(err["errors"])))
    print(f"  workers' memory: defaults {mem['defaults_rss_mib']} MiB <= article {mem['article_rss_mib']} MiB: "
          f"{ {True: 'met', False: 'NOT met', None: 'not measured'}[mem['met']] }")
    print(f"Written: {results / 'results.md'}, {results / 'results.json'}, {results / 'chart.png'}")


if __name__ == "__main__":
    main()
