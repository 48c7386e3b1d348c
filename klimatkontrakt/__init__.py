"""klimatkontrakt: the reference dataset on Sweden's Klimatkontrakt 2030."""

import os

# Arrow's C++ code (the Parquet writer among it) allocates from the process's default pool, which
# pa.set_memory_pool() does not change: mimalloc by default, which kept ~50 MB per 2,000 pages
# mapped after the tables were freed. The system allocator returns memory; Arrow reads this
# variable once, when pyarrow is first imported, so it is set before anything imports pyarrow.
os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")

__version__ = "0.1.0"
