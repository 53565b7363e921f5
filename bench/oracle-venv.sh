#!/bin/sh
# The benchmark oracle's interpreter: anonlink and clkhash in their own venv (.venv-oracle).
# They pin an old `cryptography`, so they never enter migralink's environment; only
# bench/linkage.py uses them, through bench/anonlink_oracle.py in a subprocess.
set -eu
PYTHON=${PYTHON:-python3}
VENV=${1:-.venv-oracle}
[ -x "$VENV/bin/python" ] || "$PYTHON" -m venv "$VENV"
"$VENV/bin/pip" install --quiet anonlink clkhash
"$VENV/bin/python" -c "import anonlink, clkhash; print('anonlink', anonlink.__version__)"
