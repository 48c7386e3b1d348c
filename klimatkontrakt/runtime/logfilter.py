"""A logging filter that keeps the project's expected failures to one line.

Prefect logs any exception that leaves a task with its traceback. A `KlimatkontraktError` (a
tripped release gate, a full disk, a bad archive) is an expected failure whose message already
says everything, so the console gets the message without the traceback; real bugs keep theirs.
"""

import logging

from klimatkontrakt.core.errors import KlimatkontraktError


class ExpectedErrors(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if record.exc_info and isinstance(record.exc_info[1], KlimatkontraktError):
            record.exc_info = None
            record.exc_text = None
        return True
