#!/usr/bin/env python3
"""Draws bench/results/extraction.json as an SVG: per file type, the files per
second of our extractor and of Tika (log scale), with the token overlap of the
two texts written under each group. Standard library only.

Usage: plot.py extraction.json extraction.svg
"""
import json
import math
import sys
from xml.sax.saxutils import escape

OURS, TIKA = "#1f77b4", "#9e9e9e"
BAR, GAP, LEFT, TOP, HEIGHT = 14, 16, 70, 60, 260


def main():
    result = json.load(open(sys.argv[1]))
    types = sorted(result["types"].items())
    rates = [v[side]["files_per_s"] or 0.1 for _, v in types for side in ("ours", "tika")]
    top = 10 ** math.ceil(math.log10(max(rates)))
    bottom = 10 ** math.floor(math.log10(max(min(rates), 0.1)))

    def y(rate):
        span = math.log10(top) - math.log10(bottom)
        return TOP + HEIGHT * (1 - (math.log10(max(rate, bottom)) - math.log10(bottom)) / span)

    width = LEFT + len(types) * (2 * BAR + GAP) + 20
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{TOP + HEIGHT + 90}" '
           'font-family="sans-serif" font-size="11">',
           f'<text x="{LEFT}" y="20" font-size="14">Extraction: files/s per type, ours vs Apache Tika '
           f'{escape(result["tika_version"])} (log scale); token overlap below</text>',
           f'<text x="{LEFT}" y="38">mixed corpus: ours {result["mixed"]["ours"]["files_per_s"]} files/s, '
           f'Tika {result["mixed"]["tika"]["files_per_s"]} files/s; peak RSS ours '
           f'{result["peak_rss_mib"]["ours"]} MiB, Tika {result["peak_rss_mib"]["tika"]} MiB</text>']
    decade = bottom
    while decade <= top:
        out.append(f'<line x1="{LEFT}" x2="{width - 10}" y1="{y(decade):.1f}" y2="{y(decade):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(decade) + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    for i, (kind, v) in enumerate(types):
        x = LEFT + 10 + i * (2 * BAR + GAP)
        for j, (side, colour) in enumerate((("ours", OURS), ("tika", TIKA))):
            rate = v[side]["files_per_s"] or 0
            top_y = y(rate)
            out.append(f'<rect x="{x + j * BAR}" y="{top_y:.1f}" width="{BAR - 1}" '
                       f'height="{TOP + HEIGHT - top_y:.1f}" fill="{colour}"/>')
        out.append(f'<text x="{x + BAR}" y="{TOP + HEIGHT + 14}" text-anchor="middle">{escape(kind)}</text>')
        out.append(f'<text x="{x + BAR}" y="{TOP + HEIGHT + 28}" text-anchor="middle">{v["overlap_mean"] or 0:.2f}</text>')
    legend_y = TOP + HEIGHT + 55
    out.append(f'<rect x="{LEFT}" y="{legend_y - 9}" width="10" height="10" fill="{OURS}"/>'
               f'<text x="{LEFT + 14}" y="{legend_y}">ours (in process)</text>')
    out.append(f'<rect x="{LEFT + 140}" y="{legend_y - 9}" width="10" height="10" fill="{TIKA}"/>'
               f'<text x="{LEFT + 154}" y="{legend_y}">Tika (warmed-up JVM)</text>')
    out.append("</svg>")
    with open(sys.argv[2], "w") as f:
        f.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
