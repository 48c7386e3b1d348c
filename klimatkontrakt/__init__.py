"""klimatkontrakt: the reference dataset on Sweden's Klimatkontrakt 2030."""

__version__ = "0.1.0"
