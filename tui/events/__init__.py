"""Provider events (webhooks and postbacks) as one ``Event`` model: ``parse`` is the way in.

No Textual here: the receiver, the CLI and the app's services all use it.
"""

from __future__ import annotations

from typing import Final

from tui.events.mobiniti import parse_mobiniti
from tui.events.model import KIND_LABELS, KINDS, PROVIDERS, BadPayload, Event
from tui.events.optit import parse_optit
from tui.events.skycore import parse_skycore

__all__ = ["KINDS", "KIND_LABELS", "PROVIDERS", "BadPayload", "Event", "content_type_ok",
           "content_type_problem", "parse"]

# What each provider posts; charset and other parameters are allowed.
CONTENT_TYPES: Final[dict[str, frozenset[str]]] = {
    "mobiniti": frozenset({"application/json", "text/json"}),
    "optit": frozenset({"application/x-www-form-urlencoded"}),
    "skycore": frozenset({"application/xml", "text/xml"}),
}


def content_type_ok(provider: str, content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media in CONTENT_TYPES.get(provider, frozenset())


def content_type_problem(provider: str, content_type: str) -> str | None:
    """Why ``content_type`` is wrong for ``provider`` (None when it is right)."""
    if content_type_ok(provider, content_type):
        return None
    wanted = " or ".join(sorted(CONTENT_TYPES.get(provider, ())))
    given = repr(content_type[:60]) if content_type else "no content type"
    return f"{provider} posts {wanted}, not {given}"


def parse(provider: str, body: bytes, content_type: str, *,
          webhook: str | None = None) -> list[Event]:
    """The events in one provider body. Raises ``BadPayload`` (with ``status``) and only that.

    ``webhook`` is the Mobiniti webhook kind named by the URL (``/webhooks/mobiniti/<kind>``);
    without it the kind is inferred from the body.
    """
    if provider not in PROVIDERS:
        raise BadPayload(f"unknown provider {provider!r} (known: {', '.join(PROVIDERS)})", 404)
    problem = content_type_problem(provider, content_type)
    if problem:
        raise BadPayload(problem, 415)
    try:
        if provider == "mobiniti":
            return parse_mobiniti(body, webhook)
        if provider == "optit":
            return parse_optit(body)
        return parse_skycore(body)
    except BadPayload:
        raise
    except Exception as exc:  # a parser bug must still be an answer, never a crash
        raise BadPayload(f"the body could not be read ({type(exc).__name__})", 400) from exc
