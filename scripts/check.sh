#!/usr/bin/env bash
# The checks that catch what tests do not (issue 11, item 8): the linter and the type checker,
# configured in pyproject.toml ([tool.ruff], [tool.mypy]). `make test` and the land script run
# it; it exits non-zero when either finds anything. Both run even when the first fails, so one
# run shows every finding.
set -uo pipefail
cd "$(dirname "$0")/.."
py="${PYTHON:-.venv/bin/python}"
rc=0
echo "check: ruff ($("$py" -m ruff --version))"
"$py" -m ruff check --quiet --output-format concise . || rc=1
echo "check: mypy ($("$py" -m mypy --version))"
"$py" -m mypy || rc=1
if [ "$rc" -ne 0 ]; then echo "check: FAILED" >&2; else echo "check: ok"; fi
exit "$rc"
