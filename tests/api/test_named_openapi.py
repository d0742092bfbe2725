"""The OpenAPI description of the whole app (/openapi.json, shown at /docs): every operation says what it does
and shows an example; every named query of the API is an operation with its own parameters."""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.named import PUBLIC
from graph.sources import Sources

NAMED_TAGS = {"named queries", "gaps", "paths", "recommendations", "network"}


@pytest.fixture
def spec(sources: Sources) -> dict[str, Any]:
    answer = TestClient(create_app(sources, url="http://testserver")).get("/openapi.json")
    assert answer.status_code == 200
    document: dict[str, Any] = answer.json()
    return document


def operations(spec: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return [(f"{method.upper()} {path}", op) for path, item in spec["paths"].items() for method, op in item.items()]


def has_example(node: Any, spec: dict[str, Any], seen: frozenset[str] = frozenset()) -> bool:
    """Whether `node` (a parameter list, a response...) holds an example, following $refs into components."""
    if isinstance(node, list):
        return any(has_example(item, spec, seen) for item in node)
    if not isinstance(node, dict):
        return False
    if node.get("example") is not None or node.get("examples"):
        return True
    ref = node.get("$ref")
    if isinstance(ref, str) and ref not in seen:
        target = spec
        for part in ref.removeprefix("#/").split("/"):
            target = target[part]
        return has_example(target, spec, seen | {ref})
    return any(has_example(value, spec, seen) for value in node.values())


def test_every_operation_has_a_summary_and_an_example(spec: dict[str, Any]) -> None:
    lacking = [name for name, op in operations(spec)
               if not op.get("summary") or not (has_example(op.get("parameters", []), spec)
                                                or has_example(op.get("responses", {}).get("200", {}), spec))]
    assert lacking == []


def test_operation_ids_are_unique(spec: dict[str, Any]) -> None:
    # OpenAPI requires it; clients generated from the spec name their methods by it
    ids = Counter(op["operationId"] for _, op in operations(spec))
    assert [i for i, n in ids.items() if n > 1] == []


def test_named_operations_are_described_and_grouped(spec: dict[str, Any]) -> None:
    ours = [(name, op) for name, op in operations(spec) if NAMED_TAGS & set(op.get("tags", []))]
    assert len(ours) == len(PUBLIC) + 1 + 3 + 1 + 1 + 3  # each query, the list; gaps, paths, recommendations, network
    assert [name for name, op in ours if not op.get("description") or len(op["tags"]) != 1] == []


def test_each_named_query_is_an_operation_with_its_parameters(spec: dict[str, Any]) -> None:
    assert {f"/api/v1/queries/{name}" for name in PUBLIC} <= set(spec["paths"])
    assert "/api/v1/queries/{name}" not in spec["paths"]  # only there to say 404 with the list of queries
    gap = {p["name"]: p for p in spec["paths"]["/api/v1/queries/technology-gap"]["get"]["parameters"]}
    assert list(gap) == ["format", "offset", "limit", "pole", "region", "year_from", "year_to", "max_supply"]
    assert gap["pole"]["schema"] == {"type": "array", "items": {"type": "string"}}
    assert (gap["pole"]["example"], gap["region"]["example"]) == (["wagralim"], "BE33")
    assert gap["year_from"]["schema"] == {"type": "integer"} and not gap["year_from"]["required"]
    assert gap["region"]["description"].endswith("Give a NUTS code (BE3, BE33, BE332) or its IRI.")
    (firms,) = spec["paths"]["/api/v1/queries/eu-mentors"]["get"]["parameters"][3:]
    assert firms["schema"] == {"type": "string", "enum": ["members", "all"], "default": "members"}
    assert firms["example"] == "members"
    (firm,) = spec["paths"]["/api/v1/queries/firm-labs"]["get"]["parameters"][3:]
    assert firm["required"] and firm["example"] == "0450.222.233"
    responses = spec["paths"]["/api/v1/queries/technology-gap"]["get"]["responses"]
    assert set(responses["200"]["content"]) == {"application/json", "text/csv",
                                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
    assert {"304", "406", "422"} <= set(responses)
