"""Times as the tables hold them: naive UTC (DuckDB TIMESTAMP, CSV "...Z")."""

from __future__ import annotations

from datetime import UTC, datetime


def utc_naive(value):
    """An aware datetime as naive UTC; a naive one (taken as UTC), None or any other value as it is."""
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.astimezone(UTC).replace(tzinfo=None)
    return value
