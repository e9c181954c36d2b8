"""Every operation of /v1/openapi.json, fuzzed by schemathesis against a real ``campfire serve``:
no 500, and every response (status, content type, body) inside the document. Bounded and
derandomized (hypothesis ``derandomize=True``): the same examples on every run."""
from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = 12  # per operation


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, str]]:
    tmp = tmp_path_factory.mktemp("openapi")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CAMPFIRE_")},
           "PYTHONPATH": str(ROOT), "CAMPFIRE_STORE": str(tmp / "c.db"), "CAMPFIRE_DATA_DIR": str(tmp / "data")}
    created = subprocess.run([sys.executable, "-m", "server.cli", "apps", "create", "fuzz", "--json"], cwd=ROOT,
                             env=env, capture_output=True, text=True, timeout=60, check=True)
    key = json.loads(created.stdout)["key"]
    proc = subprocess.Popen([sys.executable, "-m", "server.cli", "serve", "--port", "0", "--log-level", "error"],
                            cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        assert proc.stdout is not None
        base = ""
        for line in proc.stdout:
            found = re.search(r"listening on (http://\S+)", line)
            if found:
                base = found.group(1)
                break
        assert base, "the server did not say where it listens"
        yield base, key
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_the_document_lists_every_rest_route(live: tuple[str, str]) -> None:
    import httpx

    base, _ = live
    doc = httpx.get(f"{base}/v1/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert not [p for p, item in doc["paths"].items() for op in item.values()
                if op["summary"].startswith("(undocumented)")]
    assert {"appKey", "operatorKey", "playerToken"} <= set(doc["components"]["securitySchemes"])


def test_schemathesis_finds_no_server_error_and_no_response_outside_the_document(live: tuple[str, str]) -> None:
    import hypothesis
    import schemathesis
    from schemathesis import checks

    base, key = live
    schema = schemathesis.openapi.from_url(f"{base}/v1/openapi.json")
    chosen = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
              checks.response_schema_conformance]
    failures: list[str] = []
    operations = 0
    for result in schema.get_all_operations():
        operation = result.ok()
        operations += 1

        @hypothesis.given(case=operation.as_strategy())
        @hypothesis.settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None,
                             suppress_health_check=list(hypothesis.HealthCheck),
                             phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate])
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=base, headers={"Authorization": f"Bearer {key}"}, checks=chosen)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # every operation's failures, not just the first
            failures.append(f"{operation.label}: {str(exc)[:800]}")
    assert operations >= 15
    assert failures == []
