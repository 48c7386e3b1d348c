"""DCAT-AP-SE catalogue metadata (`dcat.jsonld`) so the release can be listed on dataportal.se.

Sweden's data portal harvests DCAT-AP-SE: a dcat:Catalog with dcat:Dataset records and one
dcat:Distribution per downloadable file. Titles and descriptions are given in Swedish and English.
URLs are relative to the release folder (where `dcat.jsonld` lies) unless a public `base_url` is
given, which becomes the JSON-LD `@base` so harvesters resolve them to absolute download URLs.
"""

from __future__ import annotations

from datetime import date

from klimatkontrakt.release.docs import (
    CONTRIBUTORS,
    DESCRIPTION_SV,
    PROJECT_URL,
    TITLE_SV,
)

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "adms": "http://www.w3.org/ns/adms#",
    "owl": "http://www.w3.org/2002/07/owl#",
}
EU = "http://publications.europa.eu/resource/authority/"
LICENSE_URI = "http://creativecommons.org/licenses/by/4.0/"
KEYWORDS_SV = ["klimatkontrakt", "Klimatkontrakt 2030", "klimatneutrala städer", "Viable Cities", "kommuner",
               "klimat", "öppna data"]
KEYWORDS_EN = ["climate city contract", "climate neutrality", "cities", "municipalities", "Sweden", "open data"]
MEDIA = {  # format -> (IANA media type, EU file type)
    "csv": ("text/csv", "CSV"),
    "parquet": ("application/vnd.apache.parquet", "PARQUET"),
    "zip": ("application/zip", "ZIP"),
    "duckdb": ("application/vnd.duckdb", "BIN"),
    "json": ("application/json", "JSON"),
}


def build_dcat(descriptor: dict, *, files: list[dict], period: tuple[date, date] | None,
               issued: str, base_url: str | None = None) -> dict:
    """The JSON-LD document. `files`: dicts with path, format, bytes, title (and optional hash)."""
    context = dict(CONTEXT)
    if base_url:
        context["@base"] = base_url.rstrip("/") + "/"
    version = descriptor["version"]
    dataset_id = f"#dataset-{version}"
    publisher = {
        "@id": PROJECT_URL,
        "@type": "foaf:Agent",
        "foaf:name": CONTRIBUTORS[0]["title"],
        "foaf:homepage": {"@id": PROJECT_URL},
    }
    distributions = []
    for f in files:
        media, eu_type = MEDIA[f["format"]]
        dist = {
            "@id": f"#dist-{f['path']}",
            "@type": "dcat:Distribution",
            "dct:title": [_lang(f["title"], "en")],
            "dcat:accessURL": {"@id": f["path"]},
            "dcat:downloadURL": {"@id": f["path"]},
            "dcat:mediaType": {"@id": f"https://www.iana.org/assignments/media-types/{media}"},
            "dct:format": {"@id": f"{EU}file-type/{eu_type}"},
            "dcat:byteSize": {"@value": str(f["bytes"]), "@type": "xsd:nonNegativeInteger"},
            "dct:license": {"@id": LICENSE_URI},
        }
        if f.get("hash"):
            dist["spdx:checksum"] = {
                "@type": "spdx:Checksum",
                "spdx:algorithm": {"@id": "http://spdx.org/rdf/terms#checksumAlgorithm_sha256"},
                "spdx:checksumValue": f["hash"].removeprefix("sha256:"),
            }
            context["spdx"] = "http://spdx.org/rdf/terms#"
        distributions.append(dist)
    dataset = {
        "@id": dataset_id,
        "@type": "dcat:Dataset",
        "dct:identifier": f"klimatkontrakt-{version}",
        "dct:title": [_lang(TITLE_SV, "sv"), _lang(descriptor["title"], "en")],
        "dct:description": [_lang(DESCRIPTION_SV, "sv"), _lang(descriptor["description"], "en")],
        "dct:publisher": publisher,
        "dcat:contactPoint": {
            "@type": "vcard:Organization",
            "vcard:fn": CONTRIBUTORS[0]["title"],
            "vcard:hasURL": {"@id": PROJECT_URL},
        },
        "dct:license": {"@id": LICENSE_URI},
        "dct:accessRights": {"@id": f"{EU}access-right/PUBLIC"},
        "dcat:keyword": [_lang(k, "sv") for k in KEYWORDS_SV] + [_lang(k, "en") for k in KEYWORDS_EN],
        "dcat:theme": [{"@id": f"{EU}data-theme/ENVI"}, {"@id": f"{EU}data-theme/REGI"},
                       {"@id": f"{EU}data-theme/GOVE"}],
        "dct:spatial": {"@id": f"{EU}country/SWE"},
        "dct:language": [{"@id": f"{EU}language/SWE"}, {"@id": f"{EU}language/ENG"}],
        "dct:accrualPeriodicity": {"@id": f"{EU}frequency/DAILY"},
        "dct:issued": {"@value": issued, "@type": "xsd:dateTime"},
        "dct:modified": {"@value": descriptor["created"], "@type": "xsd:dateTime"},
        "owl:versionInfo": version,
        "adms:versionNotes": [_lang("See CHANGES.md for the records added, changed and removed.", "en")],
        "dcat:landingPage": {"@id": PROJECT_URL},
        "dcat:distribution": [{"@id": d["@id"]} for d in distributions],
    }
    if period:
        dataset["dct:temporal"] = {
            "@type": "dct:PeriodOfTime",
            "dcat:startDate": {"@value": period[0].isoformat(), "@type": "xsd:date"},
            "dcat:endDate": {"@value": period[1].isoformat(), "@type": "xsd:date"},
        }
    catalog = {
        "@id": "#catalog",
        "@type": "dcat:Catalog",
        "dct:title": [_lang("Klimatkontrakt 2030: öppna data", "sv"), _lang("Klimatkontrakt 2030: open data", "en")],
        "dct:description": [_lang(DESCRIPTION_SV, "sv"), _lang(descriptor["description"], "en")],
        "dct:publisher": {"@id": PROJECT_URL},
        "dct:license": {"@id": LICENSE_URI},
        "foaf:homepage": {"@id": PROJECT_URL},
        "dcat:dataset": [{"@id": dataset_id}],
    }
    return {"@context": context, "@graph": [catalog, dataset, *distributions]}


def _lang(text: str, language: str) -> dict:
    return {"@value": text, "@language": language}
