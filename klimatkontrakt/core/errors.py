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


def one_line(text: object, limit: int | None = None) -> str:
    """An error's text on one line (whitespace collapsed), cut to `limit` characters: what logs,
    fetch rows and the command line show."""
    return " ".join(str(text).split())[:limit]
