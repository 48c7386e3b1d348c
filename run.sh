#!/usr/bin/env bash
# The nightly job: set up the locked environment and run one full pipeline on the default sources.
# Extra arguments go to `klimatkontrakt run` (e.g. --replay samples/klimatkontrakt-sample.warc.gz).
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
exec "$UV" run --frozen klimatkontrakt run "$@"
