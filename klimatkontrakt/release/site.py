"""The catalogue page `out_dir/site/index.html`: every release, what changed, and a timeline.

A static page, rebuilt at each publish from the release folders alone (so it can be rebuilt any
time with `build_site(out_dir)`), with no JavaScript and nothing fetched from the network: the
chart is inline SVG drawn here. Links are relative (`../packages/...`) so the page works from
disk, behind any web server, or inside a copied `output/` folder.

Everything that comes from a crawled page (titles, evidence, URLs) is HTML-escaped, and links to
source pages are only made for http(s) URLs, so a page that writes `<script>` into its title is
shown as text and a `javascript:` URL is never clickable.
"""

from __future__ import annotations

import csv
import json
import os
import re
from collections import Counter, defaultdict
from datetime import UTC, datetime
from html import escape
from pathlib import Path

import pyarrow.parquet as pq

from klimatkontrakt.core import reference
from klimatkontrakt.core import schema as sch
from klimatkontrakt.release.map import coverage_map_svg


def e(value) -> str:
    """HTML-escape anything (quotes too, so it is safe in attributes)."""
    return escape("" if value is None else str(value), quote=True)


def releases(packages: Path) -> list[dict]:
    """Every complete release folder, newest first, with its descriptor facts."""
    out = []
    if not packages.is_dir():
        return out
    for folder in packages.iterdir():
        if folder.name.startswith(".") or folder.is_symlink() or not folder.is_dir():
            continue
        try:
            descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        rows = {r["name"]: r.get("rows") for r in descriptor.get("resources", []) if r.get("format") == "csv"}
        zip_path = packages / f"klimatkontrakt-{folder.name}.zip"
        out.append({
            "version": folder.name,
            "created": descriptor.get("created", ""),
            "rows": rows,
            "zip": zip_path.name if zip_path.is_file() else None,
            "zip_bytes": zip_path.stat().st_size if zip_path.is_file() else None,
            "has_changes": (folder / "CHANGES.md").is_file(),
            "db": next((r["path"] for r in descriptor.get("resources", []) if r.get("format") == "duckdb"), None),
        })
    out.sort(key=lambda r: (r["created"], _version_key(r["version"])), reverse=True)
    return out


def build_site(out_dir: Path, *, latest: str | None = None) -> Path:
    """Write `out_dir/site/index.html` (atomically) and return its path."""
    out_dir = Path(out_dir)
    packages = out_dir / "packages"
    site = out_dir / "site"
    site.mkdir(parents=True, exist_ok=True)
    all_releases = releases(packages)
    if latest is None:
        latest_file = packages / "LATEST"
        latest = latest_file.read_text(encoding="utf-8").strip() if latest_file.is_file() else None
    current = packages / latest if latest else None
    html = render_page(all_releases, current)
    target = site / "index.html"
    tmp = site / f".index.html.tmp-{os.getpid()}"
    tmp.write_text(html, encoding="utf-8")
    os.replace(tmp, target)
    return target


def render_page(all_releases: list[dict], current: Path | None) -> str:
    descriptor = {}
    if current is not None and (current / "datapackage.json").is_file():
        descriptor = json.loads((current / "datapackage.json").read_text(encoding="utf-8"))
    title = descriptor.get("title", "Klimatkontrakt 2030 open data")
    parts = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
        "img-src 'self' data:\">",
        f"<title>{e(title)}</title>",
        f"<style>{CSS}</style></head><body>",
        f"<header><h1>{e(title)}</h1>",
        f"<p class=\"lead\">{e(descriptor.get('description', ''))}</p>",
        "<p>Licence: <a href=\"https://creativecommons.org/licenses/by/4.0/\">CC-BY-4.0</a>. "
        "Each release is a validated Frictionless Data Package with CSV, Parquet and DuckDB files, "
        "a README with coverage, caveats and how to cite, and a list of changes.</p></header>",
    ]
    if current is not None and descriptor:
        parts += _latest_section(current, descriptor, all_releases)
        parts += ['<div class="pair">', *_chart_section(current), *_coverage_section(current), "</div>"]
        parts += _changes_section(current)
        parts += _recent_section(current)
        parts += _targets_section(current)
    else:
        parts.append("<p>No release has been published yet.</p>")
    parts += _releases_section(all_releases)
    # each table scrolls in its own box: on a phone the page never scrolls sideways (scraped text
    # is escaped, so every "<table" here is the page's own)
    parts = [p.replace("<table ", '<div class="scroll"><table ').replace("</table>", "</table></div>") for p in parts]
    parts.append(f"<footer>Page generated {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC.</footer>")
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


# ---- sections --------------------------------------------------------------------------------

def _latest_section(current: Path, descriptor: dict, all_releases: list[dict]) -> list[str]:
    v = current.name
    info = next((r for r in all_releases if r["version"] == v), None)
    links = [f'<a href="../packages/{e(v)}/datapackage.json">datapackage.json</a>',
             f'<a href="../packages/{e(v)}/README.md">README</a>',
             f'<a href="../packages/{e(v)}/CITATION.cff">CITATION.cff</a>',
             f'<a href="../packages/{e(v)}/dcat.jsonld">dcat.jsonld</a>']
    if info and info["zip"]:
        links.insert(0, f'<a class="zip" href="../packages/{e(info["zip"])}">{e(info["zip"])}</a> '
                        f'({_size(info["zip_bytes"])})')
    if info and info["db"]:
        links.append(f'<a href="../packages/{e(v)}/{e(info["db"])}">DuckDB</a>')
    out = [f'<section id="latest"><h2>Latest release: {e(v)}</h2>',
           f"<p>Created {e(descriptor.get('created', ''))}. Download: " + " · ".join(links) + "</p>",
           '<table id="row-counts"><thead><tr><th>table</th><th class="n">rows</th><th>CSV</th>'
           "<th>Parquet</th><th>description</th></tr></thead><tbody>"]
    for r in descriptor.get("resources", []):
        if r.get("format") != "csv" or r.get("name") == "changes":
            continue
        desc = re.split(r"(?<!e\.g)\.\s", r.get("description") or "", maxsplit=1)[0].rstrip(".")
        out.append(f"<tr><td><code>{e(r['name'])}</code></td><td class=\"n\">{e(r.get('rows', ''))}</td>"
                   f'<td><a href="../packages/{e(v)}/{e(r["path"])}">csv</a></td>'
                   f'<td><a href="../packages/{e(v)}/parquet/{e(r["name"])}.parquet">parquet</a></td>'
                   f"<td>{e(desc)}</td></tr>")
    out.append("</tbody></table></section>")
    return out


def _chart_section(current: Path) -> list[str]:
    data = _signings_by_municipality_year(current)
    out = ['<section id="timeline"><h2>Signings per year and municipality</h2>']
    if not data:
        return out + ["<p>No dated signings by municipalities in this release.</p></section>"]
    out.append("<p>Bars: signings by municipalities per year (all contracts). Dots: one row per "
               "municipality, dot size = signings that year. Hover for details.</p>")
    out.append(timeline_svg(data))
    return out + ["</section>"]


def timeline_svg(data: dict[str, dict[int, int]]) -> str:
    """Inline SVG: per-year bars, then a municipality x year dot matrix. `data`: name -> year -> n."""
    years = list(range(min(y for d in data.values() for y in d), max(y for d in data.values() for y in d) + 1))
    names = sorted(data, key=lambda n: (min(data[n]), n))
    totals = Counter()
    for d in data.values():
        totals.update(d)
    label_w, col_w, row_h, bar_h, top = 190, 56, 18, 90, 24
    width = label_w + col_w * len(years) + 20
    matrix_top = top + bar_h + 34
    height = matrix_top + row_h * len(names) + 10
    peak = max(totals.values()) or 1
    biggest = max(n for d in data.values() for n in d.values()) or 1
    s = [f'<svg id="timeline-chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
         f'height="{height}" viewBox="0 0 {width} {height}" aria-labelledby="chart-title">',
         '<title id="chart-title">Klimatkontrakt signings per year and municipality</title>',
         f'<text x="{label_w - 8}" y="{top + bar_h}" text-anchor="end" class="axis">signings / year</text>']
    for i, year in enumerate(years):
        x = label_w + i * col_w
        h = round(bar_h * totals.get(year, 0) / peak)
        s.append(f'<g class="bar"><title>{year}: {totals.get(year, 0)} signing(s)</title>'
                 f'<rect x="{x + 10}" y="{top + bar_h - h}" width="{col_w - 20}" height="{h}" rx="2"/>'
                 f'<text x="{x + col_w / 2}" y="{top + bar_h - h - 4}" text-anchor="middle" class="count">'
                 f"{totals.get(year, 0)}</text></g>")
        s.append(f'<text x="{x + col_w / 2}" y="{top + bar_h + 18}" text-anchor="middle" class="year">{year}</text>')
        s.append(f'<line x1="{x + col_w / 2}" y1="{matrix_top - 6}" x2="{x + col_w / 2}" '
                 f'y2="{height - 6}" class="grid"/>')
    for j, name in enumerate(names):
        y = matrix_top + j * row_h + row_h / 2
        s.append(f'<text x="{label_w - 8}" y="{y + 4}" text-anchor="end" class="name">{e(name)}</text>')
        for year, n in sorted(data[name].items()):
            x = label_w + years.index(year) * col_w + col_w / 2
            r = 3 + 5 * (n / biggest) ** 0.5
            s.append(f'<circle cx="{x}" cy="{y}" r="{r:.1f}"><title>{e(name)}, {year}: {n} signing(s)</title></circle>')
    s.append("</svg>")
    return "\n".join(s)


def _coverage_section(current: Path) -> list[str]:
    rows = _read(current, "coverage")
    out = ['<section id="coverage"><h2>Coverage of the 290 municipalities</h2>']
    if rows is None:
        return out + ["<p>This release has no coverage table.</p></section>"]
    names = {r["municipality_code"]: r["name"] for r in _read(current, "municipalities") or []}
    out.append("<p>Each municipality coloured by what the run found: a signing, a membership, pages that "
               "mention the initiative, a website searched without a mention, or not reached. Hover for the "
               f'name and the first signing year; the numbers are in <a href="../packages/{e(current.name)}/data/coverage.csv">'
               "coverage.csv</a>.</p>")
    out.append(coverage_map_svg(reference.boundaries(), rows, names))
    return out + ["</section>"]


def _changes_section(current: Path) -> list[str]:
    path = current / "CHANGES.csv"
    out = ['<section id="changes"><h2>What changed in this release</h2>']
    if not path.is_file():
        return out + ["<p>No change list in this release.</p></section>"]
    counts: dict[str, Counter] = defaultdict(Counter)
    fields: dict[str, Counter] = defaultdict(Counter)
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            counts[row["table"]][row["change"]] += 1
            for f in filter(None, (row.get("fields") or "").split(";")):
                fields[row["table"]][f] += 1
    md = (current / "CHANGES.md").read_text(encoding="utf-8") if (current / "CHANGES.md").is_file() else ""
    paragraph = md.split("\n\n")[1] if md.count("\n\n") >= 1 else ""
    first_line = " ".join(paragraph.split())
    out.append(f"<p>{e(first_line.replace('`', ''))} "
               f'<a href="../packages/{e(current.name)}/CHANGES.csv">CHANGES.csv</a> · '
               f'<a href="../packages/{e(current.name)}/CHANGES.md">CHANGES.md</a></p>')
    if not counts:
        return out + ["<p>Nothing changed since the previous release.</p></section>"]
    out.append('<table id="change-summary"><thead><tr><th>table</th><th class="n">added</th>'
               '<th class="n">changed</th><th class="n">removed</th><th>fields changed</th></tr></thead><tbody>')
    for table in sorted(counts):
        c = counts[table]
        top = ", ".join(f"{f} ({n})" for f, n in fields[table].most_common(4))
        out.append(f"<tr><td><code>{e(table)}</code></td><td class=\"n\">{c['added']}</td>"
                   f"<td class=\"n\">{c['changed']}</td><td class=\"n\">{c['removed']}</td><td>{e(top)}</td></tr>")
    return out + ["</tbody></table></section>"]


def _recent_section(current: Path, limit: int = 15) -> list[str]:
    signings = _read(current, "signings")
    if signings is None or not signings:
        return []
    munis = {r["municipality_code"]: r["name"] for r in (_read(current, "municipalities") or [])}
    orgs = {r["organisation_id"]: r["name"] for r in (_read(current, "organisations") or [])}
    docs = {r["document_id"]: r for r in (_read(current, "documents") or [])}
    rows = sorted((r for r in signings if r.get("signed_on")), key=lambda r: r["signed_on"], reverse=True)[:limit]
    out = ['<section id="recent"><h2>Latest signings</h2>',
           '<table id="recent-signings"><thead><tr><th>date</th><th>party</th><th>contract</th>'
           "<th>evidence</th><th>source</th></tr></thead><tbody>"]
    for r in rows:
        party = munis.get(r.get("municipality_code")) or orgs.get(r.get("organisation_id")) or ""
        out.append(f"<tr><td>{e(r['signed_on'])}</td><td>{e(party)}</td><td>{e(r.get('contract'))}</td>"
                   f"<td class=\"evidence\">{e(r.get('evidence'))}</td><td>{_source_link(docs, r)}</td></tr>")
    return out + ["</tbody></table></section>"]


def _targets_section(current: Path) -> list[str]:
    """Each municipality's climate targets: kind, value and year, with the sentence and its page."""
    targets = _read(current, "targets")
    if not targets:
        return []
    munis = {r["municipality_code"]: r["name"] for r in (_read(current, "municipalities") or [])}
    docs = {r["document_id"]: r for r in (_read(current, "documents") or [])}
    rows = sorted(targets, key=lambda r: (munis.get(r["municipality_code"], ""), r.get("target_year") or 9999, r["kind"]))
    out = ['<section id="targets"><h2>Targets</h2>',
           '<table id="targets-table"><thead><tr><th>municipality</th><th>target</th><th>by</th><th>scope</th>'
           "<th>status</th><th>evidence</th><th>source</th></tr></thead><tbody>"]
    for r in rows:
        value = "" if r.get("value") is None else f" {r['value']:g}" + (f"-{r['value_max']:g}" if r.get("value_max") else "")
        what = f"{r['kind']}{value} {r.get('unit') or ''}".strip()
        out.append(f"<tr><td>{e(munis.get(r['municipality_code'], r['municipality_code']))}</td><td>{e(what)}</td>"
                   f"<td>{e(r.get('target_year') or '')}</td><td>{e(r.get('scope'))}</td><td>{e(r.get('status'))}</td>"
                   f"<td class=\"evidence\">{e(r.get('evidence'))}</td><td>{_source_link(docs, r)}</td></tr>")
    return out + ["</tbody></table></section>"]


def _source_link(docs: dict[str, dict], row: dict) -> str:
    """The row's document as a link (only http(s) addresses become links)."""
    doc = docs.get(row.get("document_id"), {})
    url = doc.get("final_url") or doc.get("url") or ""
    label = doc.get("title") or url
    return (f'<a href="{e(url)}" rel="nofollow noopener">{e(label)}</a>'
            if url.lower().startswith(("http://", "https://")) else e(label))


def _releases_section(all_releases: list[dict]) -> list[str]:
    out = ['<section id="releases"><h2>All releases</h2>',
           '<table id="releases-table"><thead><tr><th>version</th><th>created</th>'
           + "".join(f'<th class="n">{t}</th>' for t in sch.FACT_TABLES)
           + "<th>download</th></tr></thead><tbody>"]
    for r in all_releases:
        v = e(r["version"])
        links = [f'<a href="../packages/{v}/">folder</a>', f'<a href="../packages/{v}/datapackage.json">datapackage.json</a>']
        if r["zip"]:
            links.insert(0, f'<a href="../packages/{e(r["zip"])}">zip</a>')
        if r["has_changes"]:
            links.append(f'<a href="../packages/{v}/CHANGES.md">changes</a>')
        counts = "".join(f'<td class="n">{e(r["rows"].get(t, ""))}</td>' for t in sch.FACT_TABLES)
        out.append(f"<tr><td>{v}</td><td>{e(r['created'])}</td>{counts}<td>{' · '.join(links)}</td></tr>")
    if not all_releases:
        out.append(f'<tr><td colspan="{3 + len(sch.FACT_TABLES)}">none yet</td></tr>')
    return out + ["</tbody></table></section>"]


# ---- helpers ---------------------------------------------------------------------------------

def _read(release: Path, table: str) -> list[dict] | None:
    path = release / "parquet" / f"{table}.parquet"
    if not path.is_file():
        return None
    return pq.read_table(path).to_pylist()


def _signings_by_municipality_year(current: Path) -> dict[str, dict[int, int]]:
    signings = _read(current, "signings") or []
    munis = {r["municipality_code"]: r["name"] for r in (_read(current, "municipalities") or [])}
    out: dict[str, Counter] = defaultdict(Counter)
    for r in signings:
        code, day = r.get("municipality_code"), r.get("signed_on")
        if code and day:
            out[munis.get(code, code)][day.year] += 1
    return {k: dict(v) for k, v in out.items()}


def _size(n: int | None) -> str:
    if n is None:
        return ""
    for unit in ("bytes", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n} {unit}" if unit == "bytes" else f"{n:.1f} {unit}"
        n /= 1024
    return str(n)


def _version_key(version: str) -> tuple:
    return tuple(int(p) if p.isdigit() else 0 for p in version.split("."))


CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;max-width:1100px;margin:2em auto;padding:0 1em;color:#1b1f24}
h1{font-size:1.7em;margin-bottom:.2em}h2{margin-top:1.8em;border-bottom:1px solid #d0d7de;padding-bottom:.2em}
.lead{font-size:1.05em;color:#333}table{border-collapse:collapse;width:100%;margin:.6em 0}
th,td{border-bottom:1px solid #e5e7eb;padding:.3em .5em;text-align:left;vertical-align:top}
th{background:#f6f8fa}td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}
td.evidence{max-width:28em;font-size:.92em;color:#333}a{color:#0b5cad}code{font-size:.95em}
svg{max-width:100%;height:auto;background:#fff}svg .bar rect{fill:#2f7d4f}svg circle{fill:#2f7d4f;fill-opacity:.75}
svg .count{font-size:11px;fill:#333}svg .year{font-size:12px;fill:#333;font-weight:600}
svg .name{font-size:11px;fill:#333}svg .axis{font-size:11px;fill:#666}svg .grid{stroke:#eee}
footer{margin-top:2em;color:#666;font-size:.85em}
.pair{display:flex;flex-wrap:wrap;gap:0 2em;align-items:flex-start}.pair>section{flex:1 1 420px;min-width:0}
svg.coverage-map{max-height:80vh}
.scroll{overflow-x:auto;max-width:100%}.scroll table{margin:0}.scroll{margin:.6em 0}
td,th{overflow-wrap:anywhere}td.evidence{min-width:14em}p,li{overflow-wrap:anywhere}
@media (max-width:600px){body{margin:1em auto;padding:0 .6em;font-size:14px}td.evidence{min-width:12em}}
"""
