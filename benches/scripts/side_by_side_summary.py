#!/usr/bin/env python3
"""Medians of the side-by-side runs in a directory (see side_by_side.sh): one Markdown
table per workload, with LBO over the luagc collectors (Cai et al., ISPASS 2022)."""
import glob, json, os, statistics, sys
d = sys.argv[1]
rows = {}
for f in glob.glob(os.path.join(d, "time_*")):
    _, rest = os.path.basename(f).split("_", 1)
    # Workload names contain underscores: the tag and the round are the last two parts.
    parts = rest.split("_")
    rnd = parts[-1]; tag = parts[-2]; wl = "_".join(parts[:-2])
    wall_s, rss_kb = open(f).read().split()[-2:]
    rec = {"wall_ms": float(wall_s) * 1000, "rss_mb": int(rss_kb) / 1024}
    j = os.path.join(d, f"json_{wl}_{tag}_{rnd}")
    if os.path.exists(j):
        s = json.load(open(j))
        rec.update(gc_ms=s["gc_ms"], max_pause=s["pause_ms"]["max"], cycles=s["cycles"],
                   minor=s.get("cycles_minor", 0), p99=s["pause_ms"]["p99"],
                   live_mb=s.get("live_bytes", 0) / 2**20,
                   cpu_pause=s.get("pause_cpu_ms", {}).get("max"))
    rows.setdefault(wl, {}).setdefault(tag, []).append(rec)
med = lambda xs: statistics.median(xs)
for wl, cfgs in sorted(rows.items()):
    luagc = {t: v for t, v in cfgs.items() if "gc_ms" in v[0]}
    # fib_x5 (five runs in a loop) has no --stats-json, so no LBO.
    base = min((med([r["wall_ms"] - r["gc_ms"] for r in v]) for v in luagc.values()), default=None)
    ref = med([r["wall_ms"] for r in cfgs["lua5.4"]]) if "lua5.4" in cfgs else None
    runs = max(len(v) for v in cfgs.values())
    print(f"\n### {wl} (median of {runs} run{'s' if runs > 1 else ''})\n")
    # Pauses timed in thread CPU time too (--pause-cpu-time): the largest such.
    cpu = any(r.get("cpu_pause") is not None for v in luagc.values() for r in v)
    print("| configuration | wall ms | GC ms | LBO | max pause ms |"
          + (" max pause CPU ms |" if cpu else "")
          + " cycles (minor) | peak RSS MB | / lua5.4 |")
    print("|---|--:|--:|--:|--:|" + ("--:|" if cpu else "") + "--:|--:|--:|")
    order = ["newgc", "newgc-inc", "newgc-gen", "stw", "epsilon", "lua5.4", "lua5.4-inc",
             "lua5.1", "luajit"]
    for tag in sorted(cfgs, key=lambda t: order.index(t) if t in order else 99):
        v = cfgs[tag]; w = med([r["wall_ms"] for r in v]); rss = med([r["rss_mb"] for r in v])
        ratio = f"{w / ref:.2f}" if ref else "-"
        if "gc_ms" in v[0]:
            g = med([r["gc_ms"] for r in v]); mp = max(r["max_pause"] for r in v)
            cyc = f"{v[0]['cycles']} ({v[0]['minor']})"
            cps = [r["cpu_pause"] for r in v if r.get("cpu_pause") is not None]
            cp = (f" {max(cps):.2f} |" if cps else " - |") if cpu else ""
            print(f"| {tag} | {w:.0f} | {g:.1f} | {w / base:.2f} | {mp:.2f} |{cp} {cyc} | {rss:.0f} | {ratio} |")
        else:
            cp = " - |" if cpu else ""
            print(f"| {tag} | {w:.0f} | - | - | - |{cp} - | {rss:.0f} | {ratio} |")
