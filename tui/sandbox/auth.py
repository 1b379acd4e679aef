"""Bearer tokens and their scopes: 401 without a known token, 403 naming the missing scope."""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping
from typing import Final

from tui.api.limits import SCOPES
from tui.sandbox.problems import Problem

# The sandbox's demo token: every scope. It only ever opens the sandbox, so printing it is fine.
DEMO_TOKEN: Final = "mbn_demo_7f3a9c2e5b8d4f1a6c0e9b2d7a5f3c8e"


class TokenBook:
    """Which tokens exist and what each may do."""

    def __init__(self) -> None:
        self._scopes: dict[str, frozenset[str]] = {DEMO_TOKEN: frozenset(SCOPES)}

    def mint(self, scopes: Iterable[str]) -> str:
        wanted = frozenset(scopes)
        unknown = wanted - set(SCOPES)
        if unknown:
            raise ValueError(f"unknown scope(s): {', '.join(sorted(unknown))}")
        token = f"mbn_test_{secrets.token_hex(16)}"
        self._scopes[token] = wanted
        return token

    def authenticate(self, headers: Mapping[str, str]) -> tuple[str, frozenset[str]]:
        header = headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        if not header:
            raise Problem(401, "Unauthenticated: send the header Authorization: Bearer <token>.")
        if scheme.lower() != "bearer" or not token.strip():
            raise Problem(401, "Unauthenticated: the Authorization header must be "
                               "'Bearer <token>'.")
        scopes = self._scopes.get(token.strip())
        if scopes is None:
            raise Problem(401, "Unauthenticated: the access token is invalid, expired or "
                               "revoked. Create a new personal access token.")
        return token.strip(), scopes


def require(scopes: frozenset[str], scope: str) -> None:
    if scope not in scopes:
        raise Problem(403, f"This action is unauthorized: the access token lacks the scope "
                           f"{scope}. Grant it to the token and try again.")
