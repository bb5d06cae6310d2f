"""Turn bench/run.sh's raw outputs into results.json, results.md and chart.png.

Usage: bench/.venv/bin/python bench/report.py bench/results
       bench/.venv/bin/python bench/report.py snapshot CONTAINER_ID   (run.sh, per wrk run)

Reads RESULTS/raw/: meta.txt (KEY=value) and, per variant, concurrency N and round R:
VARIANT-cN-rR.wrk.txt (wrk's output with the BENCH_JSON line of bench/summary.lua),
.mem.json (bench/workers-mem.sh), .host.txt (CPU use of the machine and of the bench
container during the run) and .ps0/.ps1 (CPU time per process before and after, to
name what ran beside the benchmark). Prints the table, the ratios against their
targets and Ansible's timings.
"""

import json
import re
import statistics
import sys
from pathlib import Path

VARIANTS = [
    ("defaults", "Defaults", "Nginx -> uWSGI on a unix socket, the roles' defaults"),
    ("article", "Article", "Nginx -> uWSGI on TCP 127.0.0.1:8700 with the article's workers and logging"),
    ("uwsgi-alone", "uWSGI alone", "the defaults' uWSGI, loaded directly on an http-socket (no proxy)"),
    ("gunicorn", "Gunicorn", "Nginx -> Gunicorn on 127.0.0.1:8000, (2 x cores) + 1 sync workers"),
]
LABELS = {v: label for v, label, _ in VARIANTS}
# defaults / VARIANT must be at least this (issue 6).
TARGETS = {"article": 2.0, "uwsgi-alone": 0.9, "gunicorn": 3.0}
RERUN_TARGET_S = 15.0
RUN_FILE = re.compile(r"^(?P<variant>.+)-c(?P<conns>\d+)-r(?P<round>\d+)\.wrk\.txt$")


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


def ms(us: float) -> str:
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


# --- Reading the runs --------------------------------------------------------------------

def load_runs(raw: Path, meta: dict) -> list:
    cores = num(meta.get("cores"), 1.0)
    order = {v: i for i, (v, _, _) in enumerate(VARIANTS)}
    runs = []
    for wrk_file in raw.glob("*.wrk.txt"):
        name = RUN_FILE.match(wrk_file.name)
        if not name or name["variant"] not in order:
            continue
        found = re.search(r"^BENCH_JSON (\{.*\})$", wrk_file.read_text(), re.M)
        if not found:
            raise SystemExit(f"no BENCH_JSON line in {wrk_file}")
        summary = json.loads(found[1])
        seconds = summary["duration_us"] / 1e6
        base = str(wrk_file).removesuffix(".wrk.txt")
        mem_path = Path(base + ".mem.json")
        mem = json.loads(mem_path.read_text()) if mem_path.exists() else {}
        host = read_kv(Path(base + ".host.txt"))
        wall, host_busy, bench_busy = num(host.get("wall_s")), num(host.get("host_busy_s")), num(host.get("bench_busy_s"))
        errors = summary["errors"]
        runs.append({
            "variant": name["variant"],
            "label": LABELS[name["variant"]],
            "connections": int(name["conns"]),
            "round": int(name["round"]),
            "requests": int(summary["requests"]),
            "seconds": round(seconds, 2),
            "rps": round(summary["requests"] / seconds, 1) if seconds else 0.0,
            "latency_us": summary["latency_us"],
            "non_2xx_3xx": int(errors["status"]),
            "socket_errors": {k: int(errors[k]) for k in ("connect", "read", "write", "timeout")},
            "workers": mem.get("workers"),
            "workers_rss_mib": round(mem["rss_kib"] / 1024, 1) if "rss_kib" in mem else None,
            "workers_pss_mib": round(mem["pss_kib"] / 1024, 1) if "pss_kib" in mem else None,
            "master_rss_mib": round(mem["master_rss_kib"] / 1024, 1) if "master_rss_kib" in mem else None,
            "machine_cpu_busy_pct": round(host_busy / (wall * cores) * 100, 1) if wall and host_busy is not None else None,
            "other_cpu_pct": (round(max(0.0, host_busy - bench_busy) / (wall * cores) * 100, 1)
                              if wall and host_busy is not None and bench_busy is not None else None),
            "other_top_processes": outside_consumers(base, num(host.get("clk_tck"), 100.0)),
            "nginx_worker_connections_alerts": int(num(host.get("nginx_worker_connections_alerts"), 0)),
            "loadavg_before": host.get("loadavg_before"),
            "other_containers": [c for c in host.get("others", "").split(",") if c],
        })
    runs.sort(key=lambda r: (order[r["variant"]], r["connections"], r["round"]))
    return runs


def summarize(runs: list) -> list:
    """One row per variant and concurrency over the rounds: mean req/s and latency, every
    error added up, the largest memory and outside CPU."""
    rows = {}
    for r in runs:
        rows.setdefault((r["variant"], r["connections"]), []).append(r)
    out = []
    for (variant, conns), rs in rows.items():
        out.append({
            "variant": variant,
            "label": LABELS[variant],
            "connections": conns,
            "rounds": len(rs),
            "rps_mean": round(statistics.mean(r["rps"] for r in rs), 1),
            "rps_by_round": [r["rps"] for r in rs],
            "p50_us_mean": round(statistics.mean(r["latency_us"]["p50"] for r in rs)),
            "p99_us_mean": round(statistics.mean(r["latency_us"]["p99"] for r in rs)),
            "non_2xx_3xx_total": sum(r["non_2xx_3xx"] for r in rs),
            "socket_errors_total": {k: sum(r["socket_errors"][k] for r in rs) for k in ("connect", "read", "write", "timeout")},
            "workers": rs[-1]["workers"],
            "workers_rss_mib_max": max((r["workers_rss_mib"] or 0) for r in rs),
            "workers_pss_mib_max": max((r["workers_pss_mib"] or 0) for r in rs),
            "other_cpu_pct_max": max((r["other_cpu_pct"] or 0) for r in rs),
        })
    return out


def ratios(summary: list, runs: list) -> list:
    mean = {(s["variant"], s["connections"]): s["rps_mean"] for s in summary}
    by_round = {(r["variant"], r["connections"], r["round"]): r["rps"] for r in runs}
    conns = sorted({s["connections"] for s in summary})
    rounds = sorted({r["round"] for r in runs})
    out = []
    for variant, target in TARGETS.items():
        per = {}
        for c in conns:
            a, b = mean.get(("defaults", c)), mean.get((variant, c))
            if not a or not b:
                continue
            value = a / b
            each = [round(by_round[("defaults", c, n)] / by_round[(variant, c, n)], 2)
                    for n in rounds if by_round.get(("defaults", c, n)) and by_round.get((variant, c, n))]
            per[str(c)] = {"ratio": round(value, 2), "by_round": each, "met": value >= target}
        mets = [v["met"] for v in per.values()]
        out.append({
            "ratio": f"defaults / {variant}",
            "target": target,
            "by_connections": per,
            "met": bool(mets) and all(mets),
            "met_at": [c for c, v in per.items() if v["met"]],
        })
    return out


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
    rerun_s, rerun_changed = num(meta.get("converge_rerun_s")), num(meta.get("converge_rerun_changed"))
    switches = {k.removeprefix("converge_to_").removesuffix("_s"): num(v) for k, v in meta.items() if k.startswith("converge_to_")}
    return {
        "fresh_converge_s": num(meta.get("converge_fresh_s")),
        "fresh_converge_changed": int(num(meta.get("converge_fresh_changed"), -1)),
        "rerun_s": rerun_s,
        "rerun_changed": int(rerun_changed) if rerun_changed is not None else None,
        "rerun_target_s": RERUN_TARGET_S,
        "rerun_time_met": rerun_s is not None and rerun_s <= RERUN_TARGET_S,
        "rerun_changed_met": rerun_changed == 0,
        "rerun_tasks": recap_counts(raw / "ansible-rerun.log"),
        "rerun_slowest_tasks": slowest_tasks(raw / "ansible-rerun.log"),
        "variant_switches_s": switches,
    }


# --- Output ------------------------------------------------------------------------------

def worker_config(raw: Path, variant: str, meta: dict) -> str:
    if variant == "gunicorn":
        return f"{meta.get('gunicorn_workers', '?')} sync workers (Gunicorn {meta.get('gunicorn_version', '?')})"
    ini = read_kv(raw / f"uwsgi-ini-{variant}.txt")
    parts = [f"{ini.get('processes', '?')} processes x {ini.get('threads', '?')} threads", f"socket {ini.get('socket', '?')}"]
    if "http-socket" in ini:
        parts.append(f"http-socket {ini['http-socket']}")
    if "add-header" in ini:
        parts.append(f"add-header {ini['add-header']}")
    parts.append("per-request log " + ("off" if ini.get("disable-logging") == "true" else "on"))
    return ", ".join(parts)


def yes(flag: bool) -> str:
    return "yes" if flag else "**no**"


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
        f"**{mem_gib:.1f} GiB** memory, {meta.get('cpu_model', '?')}, kernel {meta.get('kernel', '?')}.",
        f"wrk ({meta.get('wrk_version', '?').split(' [')[0]}) ran inside the container against 127.0.0.1: `wrk -t{meta.get('wrk_threads')} "
        f"-cN -d{meta.get('duration')} --latency` on `/healthz` with `Host: localhost`, after a {meta.get('warmup')} "
        f"warm-up at the same concurrency, with fresh workers each time; wrk, Nginx and the app server share the "
        f"same {cores} cores. "
        + (f"{len(rounds)} rounds, every second one in reverse order; req/s is the mean of the rounds (each round's in "
           "brackets), latencies the mean of the rounds' percentiles, errors the sum over the rounds, memory the largest "
           "after a run." if len(rounds) > 1 else "One round."),
        "",
    ]
    if others:
        lines.append(f"Other containers running during the run: {', '.join(others)}"
                     + (" (another test suite was running)." if tests else "."))
        lines.append("")
    lines += [
        "| Variant | Conns | Req/s (rounds) | p50 | p99 | Non-2xx/3xx | Socket errors connect/read/write/timeout "
        "| Workers | Workers' RSS (PSS) |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: |",
    ]
    for s in summary:
        e = s["socket_errors_total"]
        each = ", ".join(f"{x:,.0f}" for x in s["rps_by_round"])
        lines.append(
            f"| {s['label']} | {s['connections']} | {s['rps_mean']:,.0f} ({each}) | {ms(s['p50_us_mean'])} | "
            f"{ms(s['p99_us_mean'])} | {s['non_2xx_3xx_total']} | {e['connect']}/{e['read']}/{e['write']}/{e['timeout']} | "
            f"{s['workers']} | {s['workers_rss_mib_max']} MiB ({s['workers_pss_mib_max']} MiB) |")
    lines += ["", "Variants as deployed:", ""]
    for variant, label, what in VARIANTS:
        lines.append(f"- **{label}**: {what}: {worker_config(raw, variant, meta)}.")
    alerts = [r for r in runs if r["nginx_worker_connections_alerts"] > 0]
    if alerts:
        lines += ["", "Nginx logged `worker_connections are not enough` (it then closes idle keep-alive connections, "
                  "which wrk counts as read errors, or fails a request) during:", ""]
        lines += [f"- {r['label']}, {r['connections']} conns, round {r['round']}: {r['nginx_worker_connections_alerts']} times"
                  for r in alerts]
    busy = [r for r in runs if (r["other_cpu_pct"] or 0) >= 5]
    lines.append("")
    if busy:
        lines += ["CPU used outside the bench container during a measurement (5% of the machine or more):", ""]
        for r in busy:
            who = ", ".join(f"{p['process']} {p['cpu_s']} s" for p in r["other_top_processes"]) or "processes that came and went"
            lines.append(f"- {r['label']}, {r['connections']} conns, round {r['round']}: {r['other_cpu_pct']}% of the machine; seen: {who}")
    else:
        worst = max((r["other_cpu_pct"] or 0) for r in runs) if runs else 0
        lines.append(f"Nothing outside the bench container used 5% of the machine or more during a measurement (at most {worst}%).")
    lines += [
        "",
        "## Ratios: req/s of the defaults divided by the other variant's (mean of rounds; each round's in brackets)",
        "",
        "| Ratio | " + " | ".join(f"{c} conns" for c in conns) + " | Target | Met |",
        "| --- | " + " | ".join("---:" for _ in conns) + " | ---: | --- |",
    ]
    for x in rat:
        cells = []
        for c in conns:
            v = x["by_connections"].get(str(c))
            cells.append("?" if not v else f"{v['ratio']:.2f} ({', '.join(f'{b:.2f}' for b in v['by_round'])})"
                         + ("" if v["met"] else " missed"))
        met = "yes" if x["met"] else ("at " + ", ".join(x["met_at"]) + " conns only" if x["met_at"] else "**no**")
        lines.append(f"| {x['ratio']} | " + " | ".join(cells) + f" | >= {x['target']:g} | {met} |")

    def fmt(v):
        return "?" if v is None else f"{v:.1f} s"

    lines += [
        "",
        "## Ansible",
        "",
        "| Run of site.yml | Wall time | changed | Target | Met |",
        "| --- | ---: | ---: | --- | --- |",
        f"| Fresh converge into the new container | {fmt(ans['fresh_converge_s'])} | {ans['fresh_converge_changed']} | - | - |",
        f"| No-change re-run | {fmt(ans['rerun_s'])} | {ans['rerun_changed']} | <= {RERUN_TARGET_S:g} s, changed=0 "
        f"| time {yes(ans['rerun_time_met'])}; changed=0 {yes(ans['rerun_changed_met'])} |",
    ]
    for key, seconds in ans["variant_switches_s"].items():
        target, _, rnd = key.rpartition("_r")
        lines.append(f"| Switch to {target.replace('_', '-')} (round {rnd}) | {fmt(seconds)} | | - | - |")
    if ans["rerun_slowest_tasks"]:
        lines += ["", f"The no-change re-run's tasks ({ans['rerun_tasks']}); the slowest (profile_tasks):", ""]
        lines += [f"- {t['task']}: {t['seconds']:.2f} s" for t in ans["rerun_slowest_tasks"]]
    lines.append("")
    return "\n".join(lines)


def chart(summary: list, meta: dict, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    conns = sorted({s["connections"] for s in summary})
    variants = [(v, label) for v, label, _ in VARIANTS if any(s["variant"] == v for s in summary)]
    by = {(s["variant"], s["connections"]): s for s in summary}
    width = 0.8 / max(1, len(conns))
    fig, ax = plt.subplots(figsize=(9, 5))
    for i, c in enumerate(conns):
        xs = [j + (i - (len(conns) - 1) / 2) * width for j in range(len(variants))]
        rows = [by.get((v, c)) for v, _ in variants]
        ys = [row["rps_mean"] if row else 0 for row in rows]
        ax.bar(xs, ys, width, label=f"{c} connections")
        for x, y, row in zip(xs, ys, rows):
            each = row["rps_by_round"] if row else []
            # Each round's value as a dot on its bar: the spread between rounds.
            if len(each) > 1:
                ax.plot([x] * len(each), each, "k.", markersize=5)
            ax.annotate(f"{y:,.0f}", (x, max([y, *each])), textcoords="offset points", xytext=(0, 3),
                        ha="center", fontsize=8)
    top = max([x for s in summary for x in [s["rps_mean"], *s["rps_by_round"]]] or [1])
    ax.set_ylim(0, top * 1.18)  # room for the labels and the legend
    ax.set_xticks(range(len(variants)), [label for _, label in variants])
    ax.set_ylabel("requests per second, GET /healthz (higher is better)")
    ax.set_title(f"{meta.get('cores', '?')} cores; bars: mean of {meta.get('rounds', '?')} rounds of wrk -d{meta.get('duration')}, "
                 "dots: each round")
    ax.legend(loc="upper right", ncols=2)
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=120)


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
        "meta": meta, "summary": summary, "ratios": rat, "ansible": ans, "runs": runs,
    }
    (results / "results.json").write_text(json.dumps(data, indent=2) + "\n")
    md = markdown(meta, runs, summary, rat, ans, raw)
    (results / "results.md").write_text(md)
    chart(summary, meta, results / "chart.png")
    print(md)
    print("Ratios against their targets:")
    for x in rat:
        per = ", ".join(f"{c} conns {v['ratio']:.2f}" for c, v in sorted(x["by_connections"].items(), key=lambda kv: int(kv[0])))
        verdict = "met" if x["met"] else "NOT met" + (f" (met at {', '.join(x['met_at'])} conns)" if x["met_at"] else "")
        print(f"  {x['ratio']}: {per} (target >= {x['target']:g}): {verdict}")
    print(f"Ansible: fresh converge {ans['fresh_converge_s']} s; no-change re-run {ans['rerun_s']} s "
          f"(target <= {RERUN_TARGET_S:g} s: {'met' if ans['rerun_time_met'] else 'NOT met'}), "
          f"changed={ans['rerun_changed']} (must be 0: {'met' if ans['rerun_changed_met'] else 'NOT met'})")
    print(f"Written: {results / 'results.md'}, {results / 'results.json'}, {results / 'chart.png'}")


if __name__ == "__main__":
    main()
