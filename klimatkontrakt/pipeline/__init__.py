"""One run's stages as plain functions: collect (crawl and extract per source), assemble and
stage the tables, load and publish. `flows/nightly.py` wraps them in Prefect tasks; tests and
benchmarks call them directly."""
