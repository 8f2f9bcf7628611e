"""Small inline SVG charts for the HTML report (no JavaScript, no downloads).

Each function returns an SVG string that the template inserts as is; every
text it writes is XML-escaped here.
"""

from __future__ import annotations

import math
from html import escape

STATUS_COLOURS = {
    "on_target": "#1a7f37",
    "off_target": "#c05621",
    "warning": "#b7791f",
    "critical": "#c53030",
    "insufficient_sample": "#718096",
    "no_target": "#4a5568",
}
LINE_COLOUR = "#2b6cb0"
TARGET_COLOUR = "#805ad5"


def _finite(values):
    return [v for v in values if v is not None and not (isinstance(v, float) and math.isnan(v))]


def _svg_open(width, height):
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img">'
    )


def line_chart(points, *, target=None, status=None, value_format=str, width=280, height=96):
    """A small line chart of (label, value) points, oldest first.

    The dashed line is the target; the last point takes the status colour;
    missing values break the line. Returns '' when there is nothing to draw.
    """
    values = _finite([value for _, value in points])
    if not values:
        return ""
    scale_values = values + ([target] if target is not None else [])
    low, high = min(scale_values), max(scale_values)
    if high == low:
        low, high = low - 1, high + 1
    pad_left, pad_right, pad_top, pad_bottom = 4, 8, 14, 16
    plot_w = width - pad_left - pad_right
    plot_h = height - pad_top - pad_bottom
    count = len(points)

    def x_at(index):
        return pad_left + (plot_w * index / (count - 1) if count > 1 else plot_w / 2)

    def y_at(value):
        return pad_top + plot_h * (1 - (value - low) / (high - low))

    segments, current = [], []
    for index, (_, value) in enumerate(points):
        if value is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((x_at(index), y_at(value)))
    if current:
        segments.append(current)

    parts = [_svg_open(width, height)]
    if target is not None:
        y = y_at(target)
        parts.append(
            f'<line x1="{pad_left}" x2="{width - pad_right}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{TARGET_COLOUR}" stroke-width="1" stroke-dasharray="4 3"/>'
        )
        parts.append(
            f'<text x="{width - pad_right}" y="{y - 3:.1f}" text-anchor="end" '
            f'fill="{TARGET_COLOUR}" font-size="9">target {escape(value_format(target))}</text>'
        )
    for segment in segments:
        if len(segment) == 1:
            x, y = segment[0]
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="1.8" fill="{LINE_COLOUR}"/>')
            continue
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in segment)
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{LINE_COLOUR}" stroke-width="1.6"/>'
        )
    last_index = max(i for i, (_, v) in enumerate(points) if v is not None)
    last_value = points[last_index][1]
    colour = STATUS_COLOURS.get(status or "", LINE_COLOUR)
    parts.append(
        f'<circle cx="{x_at(last_index):.1f}" cy="{y_at(last_value):.1f}" r="3.2" fill="{colour}"/>'
    )
    first_label, last_label = escape(str(points[0][0])), escape(str(points[-1][0]))
    parts.append(
        f'<text x="{pad_left}" y="{height - 3}" font-size="9" fill="#4a5568">{first_label}</text>'
    )
    parts.append(
        f'<text x="{width - pad_right}" y="{height - 3}" text-anchor="end" font-size="9" '
        f'fill="#4a5568">{last_label}</text>'
    )
    parts.append(
        f'<text x="{pad_left}" y="10" font-size="9" fill="#4a5568">'
        f"{escape(value_format(min(values)))} to {escape(value_format(max(values)))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


def interval_bars(rows, *, width=300, row_height=22, value_format=str):
    """Horizontal bars with 95% interval whiskers.

    rows: dicts with label, value, lower, upper and colour. Values share one axis
    from 0 to the largest upper bound. Returns '' when no row has a value.
    """
    drawable = [row for row in rows if row.get("value") is not None]
    if not drawable:
        return ""
    top = max(_finite([row.get("upper") for row in drawable] + [row["value"] for row in drawable]))
    top = top if top > 0 else 1.0
    label_w, value_w = 48, 56
    plot_w = width - label_w - value_w
    height = row_height * len(rows) + 4
    parts = [_svg_open(width, height)]
    for index, row in enumerate(rows):
        y = 2 + index * row_height
        mid = y + row_height / 2
        parts.append(
            f'<text x="0" y="{mid + 3:.1f}" font-size="10" fill="#1a202c">'
            f"{escape(str(row['label']))}</text>"
        )
        value = row.get("value")
        if value is None:
            parts.append(
                f'<text x="{label_w}" y="{mid + 3:.1f}" font-size="10" fill="#718096">no data</text>'
            )
            continue
        bar_w = plot_w * value / top
        parts.append(
            f'<rect x="{label_w}" y="{y + 4}" width="{bar_w:.1f}" height="{row_height - 8}" '
            f'fill="{row.get("colour", LINE_COLOUR)}" opacity="0.75"/>'
        )
        lower, upper = row.get("lower"), row.get("upper")
        if lower is not None and upper is not None:
            x1, x2 = label_w + plot_w * lower / top, label_w + plot_w * upper / top
            parts.append(
                f'<line x1="{x1:.1f}" x2="{x2:.1f}" y1="{mid:.1f}" y2="{mid:.1f}" '
                f'stroke="#1a202c" stroke-width="1.2"/>'
                f'<line x1="{x1:.1f}" x2="{x1:.1f}" y1="{mid - 4:.1f}" y2="{mid + 4:.1f}" '
                f'stroke="#1a202c"/><line x1="{x2:.1f}" x2="{x2:.1f}" y1="{mid - 4:.1f}" '
                f'y2="{mid + 4:.1f}" stroke="#1a202c"/>'
            )
        parts.append(
            f'<text x="{width}" y="{mid + 3:.1f}" text-anchor="end" font-size="10" '
            f'fill="#1a202c">{escape(value_format(value))}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
