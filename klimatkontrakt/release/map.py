"""The coverage map: Sweden's 290 municipalities as inline SVG, coloured by `coverage.status`.

Drawn at publish time from the vendored boundaries (`reference/municipalities.geojson`, SCB,
CC0 1.0), with no tiles, scripts or network: an equirectangular projection scaled by the cosine
of the middle latitude (at Sweden's size the distortion is small), rings simplified to what
half a pixel can show. Each municipality's `<title>` gives its name, status and first signing
year, so a pointer shows them on hover.
"""

from __future__ import annotations

import math
from collections import Counter
from html import escape

COLOURS = {  # ColorBrewer PRGn/greys: tells the statuses apart in print and for colour-blind readers
    "signatory": "#1b7837",
    "member": "#7fbf7b",
    "mentions": "#e08214",
    "no-mention-found": "#bababa",
    "not-reached": "#f7f7f7",
}
LABELS = {
    "signatory": "signatory",
    "member": "member, not signed",
    "mentions": "mentions only",
    "no-mention-found": "searched, no mention",
    "not-reached": "not reached",
}
HEIGHT = 640  # px of the map; the width follows Sweden's shape
UNITS = 2  # path units per px: whole numbers in half pixels, as relative moves ("l3 -1"), keep the page small
MIN_STEP = 1.5  # path units (.75 px): a point closer than this to the last kept one adds nothing visible


def coverage_map_svg(boundaries: dict, coverage: list[dict], names: dict[str, str]) -> str:
    """The map of `boundaries` (a GeoJSON FeatureCollection keyed by `municipality_code`) with each
    municipality filled by its row in `coverage` (rows of the coverage table, as text)."""
    by_code = {r["municipality_code"]: r for r in coverage}
    features = boundaries.get("features", [])
    rings = [(f["properties"]["municipality_code"], ring) for f in features for ring in _rings(f["geometry"])]
    lons = [p[0] for _, ring in rings for p in ring]
    lats = [p[1] for _, ring in rings for p in ring]
    if not lons:
        return ""
    aspect = math.cos(math.radians((min(lats) + max(lats)) / 2))
    scale = HEIGHT / (max(lats) - min(lats))
    width = math.ceil((max(lons) - min(lons)) * aspect * scale)

    def project(lon: float, lat: float) -> tuple[int, int]:
        return round((lon - min(lons)) * aspect * scale * UNITS), round((max(lats) - lat) * scale * UNITS)

    paths = []
    for f in features:
        code = f["properties"]["municipality_code"]
        row = by_code.get(code, {})
        status = row.get("status") or "not-reached"
        d = "".join(_ring_path([project(*p) for p in ring]) for ring in _rings(f["geometry"]))
        if not d:
            continue
        year = row.get("first_signed_year")
        note = f", first signed {year}" if year else ""
        title = f"{names.get(code, code)}: {status}{note}"
        paths.append(f'<path class="cov-{escape(status)}" data-code="{escape(code)}" data-status="{escape(status)}" '
                     f'd="{d}"><title>{escape(title)}</title></path>')
    counts = Counter((by_code.get(f["properties"]["municipality_code"], {}).get("status") or "not-reached") for f in features)
    legend = _legend(counts, width)
    style = "".join(f".cov-{s}{{fill:{c}}}" for s, c in COLOURS.items())
    return (f'<svg class="coverage-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width + 170} {HEIGHT + 20}" '
            f'role="img" aria-label="Map of Sweden\'s municipalities by coverage status">'
            f"<style>.areas path{{stroke:#555;stroke-width:.7}}.areas path:hover{{stroke:#000;stroke-width:2.4}}{style}</style>"
            f'<g class="areas" transform="scale({1 / UNITS})">{"".join(paths)}</g>{legend}'
            f'<text x="0" y="{HEIGHT + 15}" font-size="10" fill="#555">Boundaries: SCB (CC0)</text></svg>')


def _rings(geometry: dict) -> list[list[list[float]]]:
    if geometry.get("type") == "Polygon":
        return list(geometry["coordinates"])
    if geometry.get("type") == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def _ring_path(points: list[tuple[int, int]]) -> str:
    """A closed path of the ring's points as relative moves, those closer than MIN_STEP to the
    last kept dropped; a ring smaller than a pixel is left out."""
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    if not points or max(xs) - min(xs) < UNITS and max(ys) - min(ys) < UNITS:
        return ""
    kept = [points[0]]
    for x, y in points[1:]:
        if math.hypot(x - kept[-1][0], y - kept[-1][1]) >= MIN_STEP:
            kept.append((x, y))
    if len(kept) < 3:
        return ""
    moves = " ".join(f"{x - px} {y - py}" for (px, py), (x, y) in zip(kept, kept[1:]))
    return f"M{kept[0][0]} {kept[0][1]}l{moves}z"


def _legend(counts: Counter, left: float) -> str:
    items = []
    for i, status in enumerate(COLOURS):
        y = 20 + i * 22
        items.append(f'<rect x="{left + 10}" y="{y}" width="14" height="14" class="cov-{status}" stroke="#555" stroke-width=".5"/>'
                     f'<text x="{left + 30}" y="{y + 11}" font-size="11">{escape(LABELS[status])}: {counts.get(status, 0)}</text>')
    return "<g class=\"legend\">" + "".join(items) + "</g>"
