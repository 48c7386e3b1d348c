# Sourced by run.sh and test.sh: make sure uv exists, then install the locked environment.
# Needs only Python 3.11+; uv is installed into .tools/ when it is not on PATH.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

UV_VERSION=0.13.9
PYTHON=${PYTHON:-python3}

if command -v uv >/dev/null 2>&1; then
    UV=uv
elif [ -x .tools/bin/uv ]; then
    UV=.tools/bin/uv
else
    echo "bootstrap: installing uv $UV_VERSION into .tools/" >&2
    "$PYTHON" -m venv .tools
    .tools/bin/python -m pip install --quiet --disable-pip-version-check "uv==$UV_VERSION"
    UV=.tools/bin/uv
fi
export UV_PYTHON_DOWNLOADS=never
# no "$@" here: a sourced script sees its caller's arguments, which belong to the caller.
# --compile-bytecode: every dependency's .pyc is written once, here (about 7 s on two cores), so a
# run never compiles Prefect, pandas and the rest at start-up, even where PYTHONDONTWRITEBYTECODE
# is set (container images often set it): a replay of 1,000 pages took 17.3 s without, 11.6 s with.
"$UV" sync --frozen --quiet --compile-bytecode --python "$PYTHON"
