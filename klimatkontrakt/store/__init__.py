"""Store: the DuckDB file (built new and swapped in), the history of each fact table, the crawl
state and log a night reads back."""
