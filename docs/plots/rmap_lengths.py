#!/usr/bin/env python3
"""Plots the rmap walk lengths and metadata of every design against the number of forks K.

Reads the output of `dotnet run -c Release --project Benchmarks -- --rmap-lengths --rmap-bytes`
on stdin (two markdown tables: | K forks | design | shared page | private page | metadata
objects | and | K forks | design | per frame | objects | per page in use | per VMA |) and writes
SVG line charts with a logarithmic y axis into the folder given as argument:
  rmap-walk-words.svg   page-table words one walk of the page shared by all K+1 reads
  rmap-metadata.svg     rmap metadata objects after the K forks
  rmap-bytes.svg        rmap metadata bytes per page in use after K forks of a 64 MiB
                        process, against the 64 bytes of Linux's struct page
Only the Python standard library is used, so it runs wherever the build does.
"""
import math
import sys

COLOURS = ["#1b9e77", "#d95f02", "#7570b3", "#e7298a", "#66a61e", "#e6ab02"]
WIDTH, HEIGHT = 640, 400
LEFT, RIGHT, TOP, BOTTOM = 70, 170, 40, 50


def read_rows(lines):
    """The rows of both tables: (K, design, shared words, private words, objects) for the
    walk-length table, (K, design, per frame, objects, bytes per page, bytes per VMA) for the
    bytes table."""
    lengths, sizes = [], []
    for line in lines:
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not cells[0].isdigit():
            continue
        if len(cells) == 5:
            shared = int(cells[2].split("/")[1])
            private = int(cells[3].split("/")[1])
            lengths.append((int(cells[0]), cells[1], shared, private, int(cells[4])))
        elif len(cells) == 6:
            sizes.append((int(cells[0]), cells[1], int(cells[2]), int(cells[3]), float(cells[4]), float(cells[5])))
    return lengths, sizes


def log_position(value, low, high, length):
    """Where `value` falls on a log axis from `low` to `high` of `length` pixels."""
    value = max(value, low)
    return length * (math.log10(value) - math.log10(low)) / (math.log10(high) - math.log10(low))


def chart(title, ylabel, series, ks, low=1, reference=None):
    """An SVG document: one line per (name, {K: value}) in `series`, on a log axis from `low`;
    `reference`: (value, label) drawn as a dashed horizontal line."""
    values = [v for _, points in series for v in points.values()]
    high = 10 ** math.ceil(math.log10(max(max(values), 10)))
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    k_low, k_high = min(ks), max(ks)

    def x_of(k):
        return LEFT + log_position(k, k_low, k_high, plot_w)

    def y_of(v):
        return TOP + plot_h - log_position(max(v, low), low, high, plot_h)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" '
           f'font-family="sans-serif" font-size="12">',
           f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{WIDTH / 2}" y="20" text-anchor="middle" font-size="14">{title}</text>']
    decade = low
    while decade <= high:
        y = y_of(decade)
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end">{decade:g}</text>')
        decade *= 10
    if reference is not None:
        y = y_of(reference[0])
        out.append(f'<line x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + plot_w}" y2="{y:.1f}" stroke="black" '
                   f'stroke-dasharray="6,4"/>')
        out.append(f'<text x="{LEFT + 6}" y="{y - 6:.1f}">{reference[1]}</text>')
    for k in ks:
        x = x_of(k)
        out.append(f'<text x="{x:.1f}" y="{TOP + plot_h + 18}" text-anchor="middle">{k}</text>')
    out.append(f'<text x="{LEFT + plot_w / 2}" y="{HEIGHT - 10}" text-anchor="middle">K forks</text>')
    out.append(f'<text x="16" y="{TOP + plot_h / 2}" text-anchor="middle" '
               f'transform="rotate(-90 16 {TOP + plot_h / 2})">{ylabel}</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{plot_w}" height="{plot_h}" fill="none" stroke="black"/>')
    for i, (name, points) in enumerate(series):
        colour = COLOURS[i % len(COLOURS)]
        path = " ".join(f"{x_of(k):.1f},{y_of(points[k]):.1f}" for k in sorted(points))
        out.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for k in sorted(points):
            out.append(f'<circle cx="{x_of(k):.1f}" cy="{y_of(points[k]):.1f}" r="3" fill="{colour}"/>')
        legend_y = TOP + 16 * i + 8
        out.append(f'<line x1="{LEFT + plot_w + 12}" y1="{legend_y}" x2="{LEFT + plot_w + 32}" '
                   f'y2="{legend_y}" stroke="{colour}" stroke-width="2"/>')
        out.append(f'<text x="{LEFT + plot_w + 38}" y="{legend_y + 4}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def series_of(rows, column):
    """[(design, {K: value})] in the order designs first appear."""
    order, points = [], {}
    for row in rows:
        if row[1] not in points:
            order.append(row[1])
            points[row[1]] = {}
        points[row[1]][row[0]] = row[column]
    return [(name, points[name]) for name in order]


def main():
    if len(sys.argv) != 2:
        sys.exit("usage: rmap_lengths.py OUTPUT_FOLDER < rmap-lengths output")
    rows, sizes = read_rows(sys.stdin)
    if not rows or not sizes:
        sys.exit("rmap_lengths.py: no table rows on stdin (run the benchmark with --rmap-lengths --rmap-bytes)")
    ks = sorted({row[0] for row in rows})
    folder = sys.argv[1]
    with open(f"{folder}/rmap-walk-words.svg", "w") as f:
        f.write(chart("One walk of the page shared by all K+1 processes", "page-table words read",
                      series_of(rows, 2), ks))
    with open(f"{folder}/rmap-metadata.svg", "w") as f:
        f.write(chart("Reverse-map metadata after K forks", "metadata objects (0 drawn at 1)",
                      series_of(rows, 4), ks))
    with open(f"{folder}/rmap-bytes.svg", "w") as f:
        f.write(chart("Reverse-map bytes per page after K forks of 64 MiB", "bytes per page in use (0 drawn at 0.01)",
                      series_of(sizes, 4), sorted({row[0] for row in sizes}), low=0.01,
                      reference=(64, "Linux struct page: 64 bytes")))


if __name__ == "__main__":
    main()
