"""docs/api-contract.md and tui.api.routes.ENDPOINTS describe the same endpoints."""

from __future__ import annotations

import pathlib
import re

from tui.api.routes import BY_NAME, ENDPOINTS

DOC = pathlib.Path(__file__).resolve().parents[1] / "docs" / "api-contract.md"
ROW = re.compile(r"^\| `(\w+)` \| (GET|POST|PUT|PATCH|DELETE) \| `([^`]+)` \|.*\| `([\w.\-]+)` \|")


def _doc_rows() -> dict[str, tuple[str, str, str]]:
    rows = {}
    for line in DOC.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if match:
            name, method, path, scope = match.groups()
            rows[name] = (method, path, scope)
    return rows


def test_every_endpoint_has_one_row_in_the_contract() -> None:
    rows = _doc_rows()
    assert set(rows) == set(BY_NAME)
    for endpoint in ENDPOINTS:
        assert rows[endpoint.name] == (endpoint.method, endpoint.path, endpoint.scope)


def test_routes_are_unique() -> None:
    assert len({e.route for e in ENDPOINTS}) == len(ENDPOINTS)
