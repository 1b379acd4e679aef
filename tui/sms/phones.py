"""Phone numbers: normalise to E.164, show them to a person, find their time zone, search by digits.

Built on ``phonenumbers`` (Google's libphonenumber metadata). Two levels of checking:
``strict=True`` (``is_valid_number``: the number is in an assigned range) for what a person
types, ``strict=False`` (``is_possible_number``: the length fits the country) for numbers that
arrive from providers, whose test ranges such as +1 650 111 2222 are not assigned.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumber, PhoneNumberFormat
from phonenumbers import timezone as pn_timezone

_UNKNOWN_ZONE: Final = "Etc/Unknown"
_NON_DIGITS: Final = re.compile(r"\D+")
# A query needs this many digits before it means anything (one digit matches nearly everything).
MIN_QUERY_DIGITS: Final = 2


class InvalidPhoneNumber(ValueError):
    """A phone number that cannot be used; the message says what is wrong and what to do."""


_PARSE_PROBLEMS: Final[dict[int, str]] = {
    NumberParseException.INVALID_COUNTRY_CODE: (
        "the country code is not known; start with + and the country code (e.g. +1 for the US)"
    ),
    NumberParseException.NOT_A_NUMBER: "it does not look like a phone number",
    NumberParseException.TOO_SHORT_AFTER_IDD: "it is too short after the international prefix",
    NumberParseException.TOO_SHORT_NSN: "it is too short",
    NumberParseException.TOO_LONG: "it is too long",
}

_LENGTH_PROBLEMS: Final[dict[int, str]] = {
    phonenumbers.ValidationResult.INVALID_COUNTRY_CODE: "the country code is not known",
    phonenumbers.ValidationResult.TOO_SHORT: "it has too few digits",
    phonenumbers.ValidationResult.TOO_LONG: "it has too many digits",
    phonenumbers.ValidationResult.INVALID_LENGTH: "it has the wrong number of digits",
}


def normalize(text: str, region: str = "US", *, strict: bool = True) -> str:
    """``text`` as E.164 (``+16502530000``), or ``InvalidPhoneNumber`` saying why not.

    ``region`` is the country assumed for numbers written without ``+``; providers' forms
    such as ``19999999999`` and ``9999999999`` are read as US numbers with region "US".
    ``strict=True`` requires an assigned number; ``strict=False`` only a plausible length, and
    also reads 11+ digits that do not fit ``region`` as an international number written
    without "+" (``447911123456`` → ``+447911123456``), as providers' webhooks send them.
    Results are cached: the same inputs come back again and again from lists and webhooks.
    """
    if not isinstance(text, str):
        raise InvalidPhoneNumber(f"A phone number must be text, not {type(text).__name__}.")
    return _normalize(text.strip(), (region or "US").upper(), strict)


@lru_cache(maxsize=8192)
def _normalize(text: str, region: str, strict: bool) -> str:
    if not text:
        raise InvalidPhoneNumber("No phone number given: type the number, e.g. (650) 253-0000.")
    number = _parse_or_explain(text, region)
    if strict:
        # Checking the default region first is 3x cheaper than the general check, which
        # tries every region sharing the country code (25 of them for +1).
        if not (
            phonenumbers.is_valid_number_for_region(number, region)
            or phonenumbers.is_valid_number(number)
        ):
            raise InvalidPhoneNumber(_why_invalid(text, number, region))
    elif not phonenumbers.is_possible_number(number):
        international = _international_without_plus(text)
        if international is None:
            raise InvalidPhoneNumber(_why_invalid(text, number, region))
        number = international
    return str(phonenumbers.format_number(number, PhoneNumberFormat.E164))


def _international_without_plus(text: str) -> PhoneNumber | None:
    """Providers write international numbers without "+" ("447911123456"); try that reading."""
    digits = _NON_DIGITS.sub("", text)
    if len(digits) < 11 or digits.startswith("0") or not text.lstrip("(").startswith(digits[:1]):
        return None
    try:
        number = phonenumbers.parse("+" + digits, None)
    except NumberParseException:
        return None
    return number if phonenumbers.is_possible_number(number) else None


def is_valid(text: str, region: str = "US", *, strict: bool = True) -> bool:
    """True when ``normalize`` would accept ``text``."""
    try:
        normalize(text, region, strict=strict)
    except InvalidPhoneNumber:
        return False
    return True


def _parse_or_explain(text: str, region: str) -> PhoneNumber:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException as exc:
        problem = _PARSE_PROBLEMS.get(exc.error_type, "it cannot be read as a phone number")
        raise InvalidPhoneNumber(f"{text!r} is not a phone number: {problem}.") from None


def _why_invalid(text: str, number: PhoneNumber, region: str) -> str:
    reason = phonenumbers.is_possible_number_with_reason(number)
    problem = _LENGTH_PROBLEMS.get(reason)
    if problem is None:
        where = phonenumbers.region_code_for_country_code(number.country_code or 0)
        problem = f"no {where} number starts like that (check the area code and the digits)"
    hint = "" if text.startswith("+") else f" If it is not a {region} number, start with +country."
    return f"{text!r} is not a valid phone number: {problem}.{hint}"


def _parse_e164(e164: str) -> PhoneNumber | None:
    """Parse a stored number; None when it is not readable (never raises)."""
    try:
        return _parse_cached(e164.strip())
    except NumberParseException:
        return None


@lru_cache(maxsize=8192)
def _parse_cached(text: str) -> PhoneNumber:
    region = None if text.startswith("+") else "US"
    return phonenumbers.parse(text, region)


def display(e164: str, region: str = "US") -> str:
    """How a person reads the number: national format when it belongs to ``region``.

    ``+16502530000`` → ``(650) 253-0000`` for region "US"; ``+442079460000`` →
    ``+44 20 7946 0000``. Text that is not a phone number is returned unchanged.
    """
    number = _parse_e164(e164)
    if number is None:
        return e164
    own = phonenumbers.region_code_for_number(number)
    if own is None:  # unassigned range (e.g. providers' test numbers): judge by country code
        local = number.country_code == phonenumbers.country_code_for_region(region.upper())
    else:
        local = own == region.upper()
    style = PhoneNumberFormat.NATIONAL if local else PhoneNumberFormat.INTERNATIONAL
    return str(phonenumbers.format_number(number, style))


def _country_zones(number: PhoneNumber) -> tuple[str, ...]:
    """Zones of the number's whole country calling code (libphonenumber's country-level data)."""
    # Not in phonenumbers' type stubs, hence getattr; without it numbers fall back to "unknown".
    data: dict[str, tuple[str, ...]] = getattr(pn_timezone, "TIMEZONE_DATA", {})
    return tuple(data.get(str(number.country_code), ()))


@lru_cache(maxsize=8192)
def timezone_names(e164: str) -> tuple[str, ...]:
    """Every IANA zone the number could be in, sorted; () when nothing is known.

    A number of an unassigned range (a test number) gets the zones of its whole country
    code: the number could be anywhere that code is used.
    """
    number = _parse_e164(e164)
    if number is None:
        return ()
    names = pn_timezone.time_zones_for_number(number)
    if not names or names == (_UNKNOWN_ZONE,):
        names = _country_zones(number)
    return tuple(sorted(n for n in names if n != _UNKNOWN_ZONE))


def timezones_of(e164: str) -> tuple[ZoneInfo, ...]:
    """``timezone_names`` as ``ZoneInfo`` objects (zones the system does not know are skipped)."""
    return tuple(z for z in (_zone(n) for n in timezone_names(e164)) if z is not None)


@lru_cache(maxsize=8192)
def timezone_of(e164: str) -> ZoneInfo | None:
    """The number's time zone, or None when it is unknown or too vague to show a clock.

    When the number's prefix spans several zones (some US area codes span Central and
    Eastern), the first zone in alphabetical order of IANA name is returned: deterministic,
    but a guess. A number known only by its country code (a test number, or a non-geographic
    number such as US toll-free) gets None when that country's zones keep different clocks,
    because a guess across a whole country is useless. Quiet-hours checks do not rely on this
    guess: they use ``timezones_of`` and consider every zone.
    """
    number = _parse_e164(e164)
    if number is None:
        return None
    names = tuple(sorted(pn_timezone.time_zones_for_number(number)))
    if not names or names == (_UNKNOWN_ZONE,):
        return None
    zones = [z for z in (_zone(n) for n in names) if z is not None]
    if not zones:
        return None
    country_wide = set(names) == set(_country_zones(number))
    if country_wide and len(zones) > 1 and not _same_clock(zones):
        return None
    return zones[0]


# Two fixed instants (northern winter and summer) tell whether zones keep the same clock.
_REFERENCE_INSTANTS: Final = (
    datetime(2025, 1, 15, 12, tzinfo=UTC),
    datetime(2025, 7, 15, 12, tzinfo=UTC),
)


def _same_clock(zones: list[ZoneInfo]) -> bool:
    return all(
        len({at.astimezone(z).utcoffset() for z in zones}) == 1 for at in _REFERENCE_INSTANTS
    )


@lru_cache(maxsize=512)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def digits_query(text: str) -> str | None:
    """The digits of a search query (``"253-00"`` → ``"25300"``), or None when it has too few.

    A query with letters other than separators is not a phone query (None): "Anna" must not
    match every number.
    """
    stripped = text.strip()
    if not stripped or any(ch.isalpha() for ch in stripped):
        return None
    digits = _NON_DIGITS.sub("", stripped)
    return digits if len(digits) >= MIN_QUERY_DIGITS else None


def matches(e164: str, query: str) -> bool:
    """True when the digits of ``query`` appear, in order and together, in the number.

    ``matches("+16502530000", "253-00")`` is True; so is ``"(650) 253"``. A query that is not
    a phone query (``digits_query`` is None) matches nothing.
    """
    digits = digits_query(query)
    return digits is not None and digits in _NON_DIGITS.sub("", e164)
