-- Views and table macros of the DuckDB database, created in this order after the tables
-- (database only: they are not part of the published package).
--
-- Format (read by klimatkontrakt/core/schema.py `views()`, rendered into docs/data-dictionary.md):
-- each object starts with a line "-- @view name" or "-- @macro name(args)", then comment lines
-- describing it (lines "-- - `column`: text" describe a column), then one SQL statement ending in ";".
-- The views of the versioned tables (`current_<table>`, `<table>_as_of(ts)`, `changes`) are not
-- here: `views()` derives them from the schemas' "x-versioned", one of each for every such table.

-- @view signings_per_year
-- Signings per contract and calendar year of `signed_on` (signings without a date are left out).
-- - `contract`: The contract (see `signings.contract`).
-- - `year`: Calendar year of signing.
-- - `signings`: Number of signing rows (municipalities and organisations).
-- - `municipalities`: Number of distinct municipalities that signed that year.
-- - `organisations`: Number of distinct agencies or programmes that signed that year.
-- - `new_municipalities`: Municipalities whose first dated signing of this contract falls in that year.
CREATE VIEW signings_per_year AS
WITH firsts AS (
    SELECT contract, municipality_code, min(signed_on) AS first_signed_on
    FROM signings
    WHERE municipality_code IS NOT NULL AND signed_on IS NOT NULL
    GROUP BY contract, municipality_code
)
SELECT s.contract,
       CAST(year(s.signed_on) AS INTEGER) AS year,
       count(*) AS signings,
       count(DISTINCT s.municipality_code) AS municipalities,
       count(DISTINCT s.organisation_id) AS organisations,
       count(DISTINCT s.municipality_code) FILTER (WHERE s.signed_on = f.first_signed_on) AS new_municipalities
FROM signings s
LEFT JOIN firsts f ON f.contract = s.contract AND f.municipality_code = s.municipality_code
WHERE s.signed_on IS NOT NULL
GROUP BY s.contract, year(s.signed_on)
ORDER BY year, s.contract;

-- @view municipality_timeline
-- Everything known about each municipality, one row per fact, to be read in date order: joining an initiative ("membership"), each signing with its contract version ("signing"), and the people named in roles ("role"), with how often the pipeline saw the fact change.
-- - `municipality_code`: Four-digit municipality code (see `municipalities`).
-- - `municipality`: Short name of the municipality.
-- - `county_name`: County of the municipality.
-- - `on_date`: Date of the fact: joined_on (or 1 January of joined_year), signed_on, or as_of.
-- - `year`: Year of `on_date`.
-- - `what`: "membership", "signing" or "role".
-- - `detail`: One-line summary, e.g. "klimatkontrakt-2030 (2023 års version)" or "Jimmy Jansson: ks-ordforande (S)".
-- - `contract`: Signings: the contract.
-- - `contract_version`: Signings: the contract version as written.
-- - `event_id`: Signings: the event it was signed at (see `events`).
-- - `initiative_id`: Memberships: the initiative.
-- - `cohort`: Memberships: the intake.
-- - `person_id`: Roles: the person's id.
-- - `person_name`: Roles: the person's name as written.
-- - `role`: Roles: the role as written.
-- - `role_normalised`: Roles: the role normalised.
-- - `party`: Roles: the political party.
-- - `fact_table`: The table the fact is in ("memberships", "signings", "roles").
-- - `fact_id`: The fact's id in that table.
-- - `first_seen`: Start of the first run that found the fact (from the history tables).
-- - `versions`: Number of versions of the fact in its history table (1: never changed).
-- - `document_id`: The document the fact was taken from (see `documents`).
-- - `url`: Final URL of that document.
-- - `evidence`: The passage stating the fact.
CREATE VIEW municipality_timeline AS
WITH items AS (
    SELECT municipality_code, coalesce(joined_on, make_date(CAST(joined_year AS INTEGER), 1, 1)) AS on_date,
           'membership' AS what, initiative_id || coalesce(' (' || cohort || ')', '') AS detail,
           initiative_id, cohort,
           'memberships' AS fact_table, membership_id AS fact_id, document_id, evidence
    FROM memberships
    UNION ALL BY NAME
    SELECT municipality_code, signed_on AS on_date,
           'signing' AS what, contract || coalesce(' (' || contract_version || ')', '') AS detail,
           contract, contract_version, event_id,
           'signings' AS fact_table, signing_id AS fact_id, document_id, evidence
    FROM signings
    WHERE municipality_code IS NOT NULL
    UNION ALL BY NAME
    SELECT municipality_code, as_of AS on_date,
           'role' AS what,
           person_name || ': ' || coalesce(role_normalised, role, '?') || coalesce(' (' || party || ')', '') AS detail,
           person_id, person_name, role, role_normalised, party,
           'roles' AS fact_table, role_id AS fact_id, document_id, evidence
    FROM roles
    WHERE municipality_code IS NOT NULL
), seen AS (
    SELECT 'memberships' AS fact_table, membership_id AS fact_id, min(valid_from) AS first_seen, count(*) AS versions
    FROM memberships_history GROUP BY membership_id
    UNION ALL
    SELECT 'signings', signing_id, min(valid_from), count(*) FROM signings_history GROUP BY signing_id
    UNION ALL
    SELECT 'roles', role_id, min(valid_from), count(*) FROM roles_history GROUP BY role_id
)
SELECT i.municipality_code, m.name AS municipality, m.county_name, i.on_date,
       CAST(year(i.on_date) AS INTEGER) AS year, i.what, i.detail,
       i.contract, i.contract_version, i.event_id, i.initiative_id, i.cohort,
       i.person_id, i.person_name, i.role, i.role_normalised, i.party,
       i.fact_table, i.fact_id, s.first_seen, s.versions,
       i.document_id, d.final_url AS url, i.evidence
FROM items i
JOIN municipalities m ON m.municipality_code = i.municipality_code
LEFT JOIN seen s ON s.fact_table = i.fact_table AND s.fact_id = i.fact_id
LEFT JOIN documents d ON d.document_id = i.document_id;
