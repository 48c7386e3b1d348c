"""The `contracts` and `commitments` tables: each contract document's own record and sections.

Not facts merged across documents: a contract is one document, read whole. The same file at two
addresses (viablecities.se and the municipality's site link the same PDF) is one contract, from
the document with the smallest URL.
"""

from __future__ import annotations

import logging

from klimatkontrakt.core.ids import hash_id
from klimatkontrakt.core.model import Extraction

log = logging.getLogger(__name__)

SHARED_PARTIES = frozenset({"municipality", "agencies", "all"})


def contract_rows(documents: dict[str, dict], munis: set[str], orgs: set[str]) -> tuple[list[dict], list[dict]]:
    """(contracts rows, commitments rows) of the documents ({document_id: {"row", "extraction"}})."""
    contracts: dict[str, dict] = {}
    commitments: list[dict] = []
    for doc in sorted(documents.values(), key=lambda d: (d["row"]["url"], d["row"]["document_id"])):
        extraction: Extraction = doc["extraction"]
        contract = extraction.contract
        if contract is None:
            continue
        row = doc["row"]
        if contract.municipality_code not in munis:
            log.debug("%s: contract of unknown municipality %s dropped", row["final_url"], contract.municipality_code)
            continue
        contract_id = hash_id("contracts", contract.municipality_code, contract.version_year, row["sha256"])
        if contract_id in contracts:
            continue
        contracts[contract_id] = {
            "contract_id": contract_id,
            "contract": contract.contract,
            "municipality_code": contract.municipality_code,
            "version_year": contract.version_year,
            "title": contract.title,
            "parties": ";".join(p for p in contract.parties if p in orgs) or None,
            "pages": contract.pages,
            "language": extraction.language,
            "document_id": row["document_id"],
        }
        for section in extraction.commitments:
            commitments.append({
                "commitment_id": hash_id("commitments", contract_id, section.section_path),
                "contract_id": contract_id,
                "party": section.party if section.party in SHARED_PARTIES or section.party in orgs else "all",
                "section_path": section.section_path,
                "section_title": section.section_title,
                "text": section.text,
                "page": section.page,
            })
    return list(contracts.values()), commitments
