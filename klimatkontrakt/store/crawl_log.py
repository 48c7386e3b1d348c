"""The crawl log's summary per source: the published `sources` table.

Every request stays in the database's `fetches` (for `Settings().fetch_log_days`) and in each
run's report; what a researcher reads is one row per source: documents used, first and last
fetched, how the last run went. It is built inside the new database, from the `fetches`, `runs`,
`documents` and `claims` rows just inserted, and the previous database's `sources` (so the first
fetch outlives the log's retention).
"""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.csv as pa_csv

from klimatkontrakt.core import schema as sch

FAILED = "f.error IS NOT NULL OR coalesce(f.status, 0) >= 400"

# scheme and host of a row's URL (after redirects), as "https://host/"
SITE = "nullif(regexp_extract(coalesce({t}.final_url, {t}.url), '^[a-z]+://[^/?#]+'), '') || '/'"

SUMMARY_SQL = f"""
WITH f AS (
    SELECT f.*, r.started_at AS run_started, {SITE.format(t="f")} AS site
    FROM fetches f LEFT JOIN runs r USING (run_id)
    WHERE f.source_id IS NOT NULL
),
last_run AS (
    SELECT source_id, arg_max(run_id, (coalesce(run_started, fetched_at), run_id)) AS run_id,
           min(fetched_at) AS first_at
    FROM f GROUP BY source_id
),
last AS (
    SELECT f.source_id, any_value(l.run_id) AS run_id, any_value(l.first_at) AS first_at,
           max(f.fetched_at) AS last_at, count(*) AS requests, count(*) FILTER (WHERE {FAILED}) AS failed
    FROM f JOIN last_run l ON f.source_id = l.source_id AND f.run_id = l.run_id
    GROUP BY f.source_id
),
hosts AS (  -- where most of the source's documents came from, and where most of its requests went
            -- (the log grows: used only when nothing else says)
    SELECT source_id, site, kind, row_number() OVER (PARTITION BY source_id, kind ORDER BY n DESC, site) AS rank
    FROM (SELECT source_id, {SITE.format(t="d")} AS site, 'documents' AS kind, count(*) AS n FROM documents d GROUP BY ALL
          UNION ALL SELECT source_id, site, 'requests', count(*) FROM f GROUP BY ALL)
    WHERE site IS NOT NULL
),
docs AS (
    SELECT d.source_id, count(*) AS documents,
           count(*) FILTER (WHERE d.document_id IN (SELECT document_id FROM claims)) AS with_facts,
           min(d.fetched_at) AS first_at
    FROM documents d GROUP BY d.source_id
),
ids AS (
    SELECT source_id FROM last UNION SELECT source_id FROM docs UNION SELECT source_id FROM previous_sources
)
SELECT ids.source_id,
       coalesce(s.site, p.site, r.site) AS site,
       coalesce(d.documents, 0) AS documents,
       coalesce(d.with_facts, 0) AS documents_with_facts,
       least(p.first_fetched_at, l.first_at, d.first_at) AS first_fetched_at,
       coalesce(l.last_at, p.last_fetched_at) AS last_fetched_at,
       coalesce(l.run_id, p.last_run_id) AS last_run_id,
       coalesce(l.requests, p.last_run_requests) AS last_run_requests,
       coalesce(l.failed, p.last_run_failed) AS last_run_failed,
       CASE WHEN l.requests IS NULL THEN p.last_status
            WHEN l.failed = 0 THEN 'ok' WHEN l.failed < l.requests THEN 'partial' ELSE 'failed' END AS last_status
FROM ids
LEFT JOIN last l USING (source_id)
LEFT JOIN (SELECT * FROM hosts WHERE rank = 1 AND kind = 'documents') s USING (source_id)
LEFT JOIN (SELECT * FROM hosts WHERE rank = 1 AND kind = 'requests') r USING (source_id)
LEFT JOIN docs d USING (source_id)
LEFT JOIN previous_sources p USING (source_id)
WHERE ids.source_id IS NOT NULL
ORDER BY ids.source_id
"""


def insert_sources(con: duckdb.DuckDBPyConnection, previous: pa.Table | None) -> None:
    """Fill `sources` in the database being built (its other tables already inserted)."""
    con.register("previous_sources", previous if previous is not None else sch.arrow_schema("sources").empty_table())
    try:
        columns = ", ".join(f'"{c}"' for c in sch.field_names("sources"))
        con.execute(f'INSERT INTO "sources" ({columns}) {SUMMARY_SQL}')
    finally:
        con.unregister("previous_sources")


def write_run_fetches(fetches, path: Path) -> Path:
    """The run's own requests (a `fetches` table: DataFrame, Arrow or StagedTable) as gzipped
    CSV beside its run report, so the log of a run outlives the database's retention."""
    if hasattr(fetches, "read"):
        data = fetches.read()
    elif isinstance(fetches, pa.Table):
        data = fetches
    else:
        data = sch.to_arrow("fetches", fetches)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    with pa.CompressedOutputStream(str(tmp), "gzip") as out:
        pa_csv.write_csv(data, out)
    os.replace(tmp, path)
    return path
