"""STOP/START/HELP keywords, opt-out sentences for review, and the footer check."""

from __future__ import annotations

import pytest

from tui.sms.compliance import (
    OPT_OUT_FOOTER,
    classify_keyword,
    has_opt_out_language,
    looks_like_opt_out,
)
from tui.sms.keywords import HELP_KEYWORDS, OPT_IN_KEYWORDS, OPT_OUT_KEYWORDS


@pytest.mark.parametrize("keyword", OPT_OUT_KEYWORDS)
def test_every_standard_opt_out_keyword_is_an_opt_out(keyword: str) -> None:
    assert classify_keyword(keyword) == "opt_out"
    assert classify_keyword(keyword.lower()) == "opt_out"
    assert classify_keyword(f"  {keyword.title()}.  ") == "opt_out"


@pytest.mark.parametrize("keyword", OPT_IN_KEYWORDS)
def test_every_opt_in_keyword_is_an_opt_in(keyword: str) -> None:
    assert classify_keyword(keyword) == "opt_in"
    assert classify_keyword(keyword.lower() + "!") == "opt_in"


@pytest.mark.parametrize("keyword", HELP_KEYWORDS)
def test_every_help_keyword_is_help(keyword: str) -> None:
    assert classify_keyword(keyword) == "help"
    assert classify_keyword(keyword.lower() + "?") == "help"


@pytest.mark.parametrize(
    ("body", "kind"),
    [
        ("STOP.", "opt_out"),
        ("stop!", "opt_out"),
        ("Stop!!!", "opt_out"),
        ("'STOP'", "opt_out"),
        ("\nstop\n", "opt_out"),
        ("opt-out", "opt_out"),
        ("Opt Out", "opt_out"),
        ("stop all", "opt_out"),
        ("STOP 🛑", "opt_out"),
        ("ＳＴＯＰ", "opt_out"),  # full-width letters from some keyboards
        ("Yes!", "opt_in"),
        ("help?", "help"),
        ("Please stop", None),
        ("stop texting me", None),
        ("yes please", None),
        ("Stopped by today", None),
        ("", None),
        (None, None),
        ("STOP" * 100, None),
    ],
)
def test_keyword_is_the_whole_message_trimmed_and_case_insensitive(
    body: str | None, kind: str | None
) -> None:
    assert classify_keyword(body) == kind


@pytest.mark.parametrize(
    "body",
    [
        "please stop texting me",
        "Please stop",
        "remove me from your list",
        "Remove my number",
        "don't text me",
        "Don’t text me again",
        "do not contact me",
        "no more texts",
        "take me off this list",
        "Unsubscribe me",
        "I want to opt out",
        "leave me alone",
        "wrong number",
        "I want to cancel my subscription",
        "ok stop",
        "STOP",
        "Stop sending these",
    ],
)
def test_free_text_asking_to_stop_is_flagged_for_review(body: str) -> None:
    assert looks_like_opt_out(body)


@pytest.mark.parametrize(
    "body",
    [
        "Thanks! See you Saturday",
        "What time do you open?",
        "YES",
        "Can I get the coupon?",
        "",
        None,
    ],
)
def test_ordinary_replies_are_not_flagged(body: str | None) -> None:
    assert not looks_like_opt_out(body)


@pytest.mark.parametrize(
    "text",
    [
        "Reply STOP to opt out",
        "Txt STOP to end",
        "STOP to unsubscribe",
        "Text STOP to 12345 to quit",
        "Msg&data rates may apply. Reply HELP for help, STOP to cancel.",
        "reply with STOP to stop receiving messages",
        "Reply STOP 2 end",
        "Opt out: reply STOP",
        "END to stop",
        OPT_OUT_FOOTER,
    ],
)
def test_opt_out_footers_are_recognised(text: str) -> None:
    assert has_opt_out_language("Big sale today! 20% off. " + text)


@pytest.mark.parametrize(
    "text",
    [
        "Big sale today! 20% off everything.",
        "Stop by our store today!",
        "End to end encrypted chat",
        "Reply YES to join",
        "",
        None,
    ],
)
def test_texts_without_an_opt_out_instruction_are_not_recognised(text: str | None) -> None:
    assert not has_opt_out_language(text)
