"""Prefect flows. Importing klimatkontrakt first sets its process-wide settings (Arrow's
allocator) before the flows' modules import pandas and pyarrow."""

import klimatkontrakt  # noqa: F401
