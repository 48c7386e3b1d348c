"""Assemble: pages and their extractions into one table per fact kind, with deterministic ids,
every claim kept and every disagreement listed (conflicts)."""
