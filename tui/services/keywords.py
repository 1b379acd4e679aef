"""What an inbound text asks for: opt out (STOP), opt back in (START), or help (HELP)."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Final, cast

Classifier = Callable[[str], "str | None"]

# The carrier keywords (CTIA) we must honour even before tui.sms.compliance is there.
_OPT_OUT: Final = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT",
                             "OPTOUT", "OPT-OUT", "REVOKE"})
_OPT_IN: Final = frozenset({"START", "UNSTOP", "YES", "SUBSCRIBE"})
_HELP: Final = frozenset({"HELP", "INFO"})


def _fallback(text: str) -> str | None:
    word = text.strip().strip(".!").upper()
    if word in _OPT_OUT:
        return "opt_out"
    if word in _OPT_IN:
        return "opt_in"
    if word in _HELP:
        return "help"
    return None


def _load() -> Classifier:
    # TODO: import tui.sms.compliance.classify_keyword directly once it has landed.
    try:
        module = importlib.import_module("tui.sms.compliance")
        return cast(Classifier, module.classify_keyword)
    except (ImportError, AttributeError):
        return _fallback


def classify_keyword(text: str) -> str | None:
    """``"opt_out"``, ``"opt_in"``, ``"help"`` or None (an ordinary text)."""
    result = _CLASSIFIER(text)
    return result if result in ("opt_out", "opt_in", "help") else None


_CLASSIFIER: Final = _load()
