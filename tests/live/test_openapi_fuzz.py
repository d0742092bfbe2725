"""schemathesis over the running server's own OpenAPI description: whatever it generates from the schema
(valid and invalid parameters, bodies, keys), the server never answers with a server error (5xx), the
time limit's 503 excepted. A bounded run: a few examples per operation, to fit in `make test`.

(schemathesis' pytest plugin does not run on this pytest; its Python API and hypothesis do the same.)
"""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from server import Live

EXAMPLES = 12


def test_no_server_error_on_any_operation(live: Live) -> None:
    schema = schemathesis.openapi.from_url(f"{live.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    tried: dict[str, int] = {}
    for operation in operations:
        fuzz(operation, tried)
    assert len(tried) == len(operations)


def fuzz(operation: schemathesis.APIOperation, tried: dict[str, int]) -> None:
    label = f"{operation.method.upper()} {operation.path}"

    @given(case=operation.as_strategy())
    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None,
              derandomize=True)
    def no_server_error(case: schemathesis.Case) -> None:
        response = case.call(timeout=30)
        tried[label] = tried.get(label, 0) + 1
        if response.status_code == 503:
            assert "time limit" in response.text, response.text  # a generated runaway query
            return
        assert response.status_code < 500, f"{label}: {response.status_code} {response.text[:500]}"

    no_server_error()
