#!/usr/bin/env bash
# The full test suite, exactly as CI runs it. Extra arguments go to pytest.
set -euo pipefail
source "$(dirname "$0")/scripts/bootstrap.sh"
exec "$UV" run --frozen pytest "$@"
