#!/usr/bin/env python3
"""Draws bench/results/*.json (written by bench/run.sh) as bench/results/summary.svg.

One group of bars per result: documents per second of the engine's _bulk limit
(curl), our first sync, the unchanged resync (with the id cache, and reading
every id from the index) and, when it was run, the changed resync; each of our bars is annotated with the sync's peak RSS. Standard library
only.

Usage: bench/plot.py [RESULTS_DIR]   (default: the results/ directory next to this file)
"""
import glob
import json
import os
import sys
from xml.sax.saxutils import escape

SERIES = [  # key in the result, legend label, colour
    ("limit", "limit: curl _bulk", "#9e9e9e"),
    ("first_sync", "ours: first sync", "#1f77b4"),
    ("resync_unchanged", "ours: resync, unchanged (id cache)", "#2ca02c"),
    ("resync_unchanged_scan", "ours: resync, unchanged, ids read from the index", "#98df8a"),
    ("resync_changed", "ours: resync, 10 % changed + 10 % deleted", "#ff7f0e"),
]

BAR_W = 54
BAR_GAP = 10
GROUP_GAP = 56
PLOT_H = 300
LEFT = 78
TOP = 84
MIN_PLOT_W = 820
BOTTOM = 118
RIGHT = 24


def nice_ceiling(value):
    """The smallest 1/2/2.5/5 x 10^k at or above value."""
    if value <= 0:
        return 1
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 2, 2.5, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def human(n):
    if n >= 1_000_000:
        return f"{n / 1_000_000:.3g}M"
    if n >= 1000:
        return f"{n / 1000:.3g}k"
    return f"{n:.0f}"


def text(x, y, s, size=12, anchor="middle", weight="normal", fill="#222", extra=""):
    return (f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" text-anchor="{anchor}" '
            f'font-weight="{weight}" fill="{fill}" {extra}>{escape(s)}</text>')


def load(results_dir):
    results = []
    for path in sorted(glob.glob(os.path.join(results_dir, "*.json"))):
        with open(path) as f:
            try:
                r = json.load(f)
            except json.JSONDecodeError as e:
                print(f"plot.py: skipping {path}: {e}", file=sys.stderr)
                continue
        if isinstance(r, dict) and "limit" in r and "first_sync" in r:
            results.append(r)
    # Smaller runs first, then by engine and name.
    results.sort(key=lambda r: (r.get("documents", 0), r.get("engine", ""), r.get("name", "")))
    return results


def draw(results):
    groups = []
    for r in results:
        bars = [(key, label, colour, r[key]) for key, label, colour in SERIES if isinstance(r.get(key), dict)]
        groups.append((r, bars))
    group_widths = [len(bars) * BAR_W + (len(bars) - 1) * BAR_GAP for _, bars in groups]
    plot_w = max(MIN_PLOT_W, sum(group_widths) + GROUP_GAP * (len(groups) + 1))
    group_gap = (plot_w - sum(group_widths)) / (len(groups) + 1)
    width = LEFT + plot_w + RIGHT
    height = TOP + PLOT_H + BOTTOM
    top_value = nice_ceiling(max((b[3]["docs_per_second"] for _, bars in groups for b in bars), default=1) * 1.12)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
           f'viewBox="0 0 {width} {height}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">',
           f'<rect width="{width}" height="{height}" fill="white"/>',
           text(LEFT, 24, "Sync throughput: documents per second (higher is better)", 16, "start", "bold"),
           text(LEFT, 44, "bar height: documents per second (resyncs: documents checked per second); "
                "above each bar: wall seconds", 11, "start", fill="#555"),
           text(LEFT, 60, "under our bars: peak RSS of the connectors sync process; "
                "limit = the same NDJSON posted by curl, no client logic", 11, "start", fill="#555")]

    # Axis and grid.
    y0 = TOP + PLOT_H
    for i in range(6):
        value = top_value * i / 5
        y = y0 - PLOT_H * i / 5
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" '
                   f'stroke="{"#999" if i == 0 else "#e4e4e4"}" stroke-width="1"/>')
        out.append(text(LEFT - 8, y + 4, human(value), 11, "end", fill="#555"))
    out.append(text(18, TOP + PLOT_H / 2, "documents / s", 12, "middle", fill="#555",
                    extra=f'transform="rotate(-90 18 {TOP + PLOT_H / 2})"'))

    x = LEFT + group_gap
    for (r, bars), gw in zip(groups, group_widths):
        for i, (key, _label, colour, m) in enumerate(bars):
            bx = x + i * (BAR_W + BAR_GAP)
            h = PLOT_H * m["docs_per_second"] / top_value
            out.append(f'<rect x="{bx}" y="{y0 - h:.1f}" width="{BAR_W}" height="{h:.1f}" fill="{colour}">'
                       f'<title>{escape(key)}: {m["docs_per_second"]} docs/s, {m["seconds"]} s</title></rect>')
            out.append(text(bx + BAR_W / 2, y0 - h - 18, human(m["docs_per_second"]), 11, weight="bold"))
            out.append(text(bx + BAR_W / 2, y0 - h - 5, f'{m["seconds"]:.1f} s', 10, fill="#555"))
            if "peak_rss_mib" in m:
                out.append(text(bx + BAR_W / 2, y0 + 14, f'{m["peak_rss_mib"]:.0f} MiB', 10, fill="#333"))
        cx = x + gw / 2
        out.append(text(cx, y0 + 34, r.get("name", "?"), 13, weight="bold"))
        out.append(text(cx, y0 + 50, f'{r.get("engine", "?")} {r.get("engine_version", "")}', 11, fill="#555"))
        out.append(text(cx, y0 + 64, f'{human(r["documents"])} docs x {r["document_size"]} B, '
                        f'chunk {r["chunk_size"]}, x{r["concurrency"]}', 10, fill="#555"))
        ratio = r.get("ratio_first_sync_to_limit")
        if ratio is not None:
            out.append(text(cx, y0 + 78, f"first sync / limit = {ratio:.2f}x", 10, fill="#1f77b4"))
        x += gw + group_gap

    # Legend.
    lx, ly = LEFT, height - 16
    for _key, label, colour in SERIES:
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="12" height="12" fill="{colour}"/>')
        out.append(text(lx + 17, ly, label, 11, "start"))
        lx += 30 + 6.3 * len(label)
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    results_dir = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "results")
    results = load(results_dir)
    if not results:
        print(f"plot.py: no results in {results_dir}", file=sys.stderr)
        return 1
    path = os.path.join(results_dir, "summary.svg")
    with open(path, "w") as f:
        f.write(draw(results))
    print(f"plot.py: {len(results)} result(s) -> {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
