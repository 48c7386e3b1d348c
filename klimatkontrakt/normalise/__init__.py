"""Pure normalisers: Swedish/English dates, municipality names -> codes, agency names -> ids,
parties and roles. No IO beyond reading the vendored reference CSVs once (cached)."""

from klimatkontrakt.normalise.agencies import (
    find_agencies,
    resolve_agency,
    split_agency_list,
)
from klimatkontrakt.normalise.dates import (
    DateMatch,
    find_dates,
    infer_year,
    parse_date,
    parse_datetime,
    parse_iso,
)
from klimatkontrakt.normalise.municipalities import (
    find_municipalities,
    municipality_codes,
    municipality_name,
    resolve_municipality,
)
from klimatkontrakt.normalise.people import (
    PersonMention,
    find_attributions,
    normalise_party,
    normalise_role,
    parse_person,
)

__all__ = [
    "DateMatch", "PersonMention", "find_agencies", "find_attributions", "find_dates",
    "find_municipalities", "infer_year", "municipality_codes", "municipality_name",
    "normalise_party", "normalise_role", "parse_date", "parse_datetime", "parse_iso",
    "parse_person", "resolve_agency", "resolve_municipality", "split_agency_list",
]
