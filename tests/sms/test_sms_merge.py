"""Merge fields: one syntax, fallbacks, escapes, never a text with a gap in it."""

from __future__ import annotations

from datetime import UTC, datetime
from types import SimpleNamespace

import pytest

from tui.api.models import Contact
from tui.sms.merge import (
    MergeError,
    MergeTemplateError,
    MissingMergeField,
    check_template,
    fields_required,
    fields_used,
    preview,
    render,
    worst_case_segments,
)

ANNA = {"first_name": "Anna", "last_name": "Berg", "phone_number": "+16502530000"}


def _contact(**kwargs: object) -> Contact:
    now = datetime(2025, 1, 1, tzinfo=UTC)
    base: dict[str, object] = {
        "id": "c1", "phone_number": "+16502530000", "created_at": now, "updated_at": now,
    }
    return Contact.model_validate(base | kwargs)


def test_fields_are_filled_from_a_mapping() -> None:
    assert render("Hi {first_name} {last_name}!", ANNA) == "Hi Anna Berg!"


def test_fields_are_filled_from_an_api_contact_and_its_custom_fields() -> None:
    contact = _contact(first_name="Anna", fields={"coupon_code": "SAVE20", "Store": "Main St"})
    text = render("{first_name}: use {coupon_code} at {store}", contact)
    assert text == "Anna: use SAVE20 at Main St"


def test_fields_are_filled_from_any_object_with_attributes() -> None:
    assert render("Hi {first_name}", SimpleNamespace(first_name="Bo")) == "Hi Bo"


def test_nested_fields_mapping_is_searched_too() -> None:
    assert render("{vip}", {"fields": {"vip": "gold"}}) == "gold"


def test_field_names_match_ignoring_case_when_not_exact() -> None:
    assert render("Hi {First_Name}", ANNA) == "Hi Anna"


def test_missing_field_raises_and_lists_every_missing_field() -> None:
    with pytest.raises(MissingMergeField) as caught:
        render("Hi {first_name}, {email} {zip}", {"phone_number": "+16502530000"})
    assert caught.value.fields == ("first_name", "email", "zip")
    assert "{first_name}" in str(caught.value)
    assert "+16502530000" in str(caught.value)
    assert "{first_name|there}" in str(caught.value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_none_and_blank_values_count_as_missing(value: object) -> None:
    with pytest.raises(MissingMergeField):
        render("Hi {first_name}", {"first_name": value})


def test_fallback_in_the_template_fills_a_missing_field() -> None:
    assert render("Hi {first_name|there}!", {}) == "Hi there!"
    assert render("Hi {first_name|there}!", ANNA) == "Hi Anna!"
    assert render("Hi{first_name|}!", {}) == "Hi!"
    assert render("{x|a|b}", {}) == "a|b"


def test_global_fallback_fills_fields_without_their_own() -> None:
    assert render("Hi {first_name} {nick|pal}", {}, fallback="friend") == "Hi friend pal"


def test_extra_values_are_shared_by_every_recipient() -> None:
    text = render("Code {coupon_code}", ANNA, extra={"coupon_code": "SAVE20"})
    assert text == "Code SAVE20"
    assert render("{first_name}", ANNA, extra={"first_name": "X"}) == "Anna"


def test_zero_is_a_value_not_a_gap() -> None:
    assert render("{reward_points} points", {"reward_points": 0}) == "0 points"


def test_double_braces_are_literal_braces() -> None:
    assert render("{{first_name}} is {first_name}", ANNA) == "{first_name} is Anna"
    assert render("{{{first_name}}}", ANNA) == "{Anna}"
    assert fields_used("{{first_name}}") == ()


def test_values_are_inserted_literally_never_reinterpreted() -> None:
    assert render("{first_name}", {"first_name": "{last_name}"}) == "{last_name}"


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("Hi {first_name", "Unmatched '{' at character 4"),
        ("Hi first_name}", "Unmatched '}'"),
        ("Hi {}", "is not a merge field"),
        ("Hi {first name}", "is not a merge field"),
        ("Hi {_private}", "is not a merge field"),
    ],
)
def test_malformed_templates_say_where_and_how_to_fix(template: str, says: str) -> None:
    with pytest.raises(MergeTemplateError, match=says):
        check_template(template)
    with pytest.raises(MergeTemplateError):
        render(template, ANNA)


def test_fields_used_in_order_each_once() -> None:
    template = "{first_name} {coupon_code|none} {first_name} {email}"
    assert fields_used(template) == ("first_name", "coupon_code", "email")
    assert fields_required(template) == ("first_name", "email")


def test_preview_shows_the_gap_instead_of_raising() -> None:
    result = preview("Hi {first_name}, code {code}", {"code": "X1"})
    assert result.text == "Hi {first_name}, code X1"
    assert result.missing == ("first_name",)
    assert not result.ok


def test_private_attributes_are_never_looked_up() -> None:
    with pytest.raises(MergeTemplateError):
        render("{__class__}", SimpleNamespace())


def test_methods_are_not_values() -> None:
    with pytest.raises(MissingMergeField):
        render("{copy}", _contact())


def test_worst_case_counts_segments_of_the_rendered_text() -> None:
    template = "Hi {first_name}! " + "x" * 150
    contacts = [{"first_name": "Al"}, {"first_name": "Bartholomew"}, {"first_name": "Zoë"}]
    estimate = worst_case_segments(template, contacts)
    # "Hi Al! " + 150 = 157 septets: 1 segment; Bartholomew pushes to 2; "ë" forces UCS-2: 3.
    assert estimate.worst is not None
    assert estimate.worst_index == 2
    assert estimate.segments == 3
    assert estimate.total_segments == 1 + 2 + 3
    assert estimate.recipients == 3


def test_worst_case_lists_contacts_that_cannot_be_rendered_and_skips_them() -> None:
    estimate = worst_case_segments("Hi {first_name}", [{"first_name": "Al"}, {}, ANNA])
    assert estimate.missing == {1: ("first_name",)}
    assert estimate.recipients == 2
    assert estimate.total_segments == 2


def test_worst_case_of_no_contacts_is_zero() -> None:
    estimate = worst_case_segments("Hi", [])
    assert (estimate.worst, estimate.segments, estimate.total_segments) == (None, 0, 0)


def test_template_braces_do_not_count_but_rendered_braces_do() -> None:
    estimate = worst_case_segments("{first_name}{{", [{"first_name": "a" * 158}])
    assert estimate.worst is not None
    assert estimate.worst.units == 160  # 158 + "{" (2 septets)


def test_both_merge_problems_share_one_base_class() -> None:
    for template in ("Hi {first_name", "Hi {first_name}"):
        with pytest.raises(MergeError):
            render(template, {})
