#!/bin/sh
# Each example's tests in that example's own virtual environment, built from its own
# requirements.txt (what a bot author installs, from the example's folder) plus the test
# tools and the server the tests run against (tests/examples/requirements-test.txt). A
# framework missing from an example's requirements fails its tests: nothing is skipped.
# Environments are kept in .venv-examples/ and rebuilt only when a requirements file changes;
# pip's cache makes a rebuild take about a minute.
set -eu
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3}"
for ex in ${EXAMPLES:-nonebot2 aiogram discord}; do
    venv=".venv-examples/$ex"
    stamp="$venv/.installed"
    if [ ! -f "$stamp" ] || [ "examples/$ex/requirements.txt" -nt "$stamp" ] \
            || [ tests/examples/requirements-test.txt -nt "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
        echo "examples: building $venv from examples/$ex/requirements.txt"
        rm -rf "$venv"
        "$PYTHON" -m venv "$venv"
        (cd "examples/$ex" && "../../$venv/bin/python" -m pip install -q --disable-pip-version-check \
            -r requirements.txt -r ../../tests/examples/requirements-test.txt)
        touch "$stamp"
    fi
    echo "examples: $ex"
    # The browser fixtures (tests/browser/plugin.py, Playwright) are not needed here.
    "$venv/bin/python" -m pytest -q -p no:cacheprovider -p no:tests.browser.plugin tests/examples/test_"$ex"_*.py
done
