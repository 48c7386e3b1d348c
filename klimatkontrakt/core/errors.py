"""Errors the CLI turns into one line and an exit code, never a traceback."""


class KlimatkontraktError(Exception):
    exit_code = 1


class ConfigError(KlimatkontraktError):
    """Bad usage or configuration: exit 2."""

    exit_code = 2


class RunFailed(KlimatkontraktError):
    """The run failed and nothing was published: exit 1."""

    exit_code = 1


class ReleaseGateFailed(RunFailed):
    """A release gate (frictionless validation, shrink gate) stopped publication: exit 1."""


def first_line(exc: BaseException) -> str:
    """The first line of an exception's text, else its type's name: DuckDB goes on with hints
    and context on further lines, which a one-line error does not need."""
    text = str(exc).strip()
    return text.splitlines()[0] if text else type(exc).__name__


def one_line(text: object, limit: int | None = None) -> str:
    """An error's text on one line (whitespace collapsed), cut to `limit` characters: what logs,
    fetch rows and the command line show."""
    return " ".join(str(text).split())[:limit]
