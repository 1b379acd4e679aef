"""Phone numbers for the sandbox: checking what clients send, and a fast pool of valid fake ones."""

from __future__ import annotations

import random
import zlib
from functools import lru_cache
from typing import Final

import phonenumbers

DEFAULT_REGION: Final = "US"

# Real US area codes from all over the country (the demo should look like a real list).
US_AREA_CODES: Final = (
    201, 202, 205, 206, 212, 213, 214, 215, 216, 303, 304, 305, 310, 312, 313, 314, 317,
    319, 323, 404, 405, 407, 410, 412, 414, 415, 469, 480, 502, 503, 504, 505, 512, 513,
    515, 516, 602, 614, 615, 617, 619, 626, 646, 702, 704, 713, 714, 718, 720, 773, 786,
    801, 808, 813, 816, 818, 832, 858, 901, 904, 916, 917, 919, 949, 971, 972,
)
# Regions for the few international subscribers a US shop has.
INTERNATIONAL_REGIONS: Final = ("CA", "GB", "MX", "DE", "AU", "FR", "IE")


def normalize(raw: str, region: str = DEFAULT_REGION) -> str | None:
    """E.164 for a number of a possible length (``+15125550100`` style), else None.

    Possible, not "valid" (assigned): real clients send the seeds' own examples — ProTexting's
    ``16461234567``, Skycore's ``11111111111`` — and a real server takes them.
    """
    text = raw.strip()
    if not text or len(text) > 32:
        return None
    # "15125550123" (country code without +) is how the seed's examples write numbers.
    if not text.startswith("+") and text.isdigit() and len(text) == 11 and text[0] == "1":
        text = "+" + text
    try:
        parsed = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(parsed):
        return None
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164))


def digits(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def stable_hash(text: str) -> int:
    """The same number always gets the same fake carrier and line type, across runs."""
    return zlib.crc32(text.encode())


def line_type(e164: str) -> str:
    """A believable, deterministic line type: mostly mobile, some landlines and VoIP."""
    bucket = stable_hash(e164) % 20
    if bucket == 0:
        return "voip"
    if bucket in (1, 2):
        return "landline"
    return "mobile"


def region_of(e164: str) -> str:
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return DEFAULT_REGION
    return str(phonenumbers.region_code_for_number(parsed) or DEFAULT_REGION)


class NumberPool:
    """Valid numbers without asking phonenumbers per number: prefixes are checked once, up front.

    ``next(rng)`` draws a US prefix (area code + exchange, validated) and four random digits;
    about one in twenty is international (a validated prefix of the region's example mobile).
    """

    def __init__(self, seed: int, exchanges_per_area: int = 6) -> None:
        self.us_prefixes = _us_prefixes(seed, exchanges_per_area)
        self.intl_prefixes = _intl_prefixes()
        self._used: set[str] = set()

    def reserve(self, number: str) -> None:
        self._used.add(number)

    def next(self, rng: random.Random, international_share: float = 0.05) -> str:
        while True:
            if self.intl_prefixes and rng.random() < international_share:
                prefix = rng.choice(self.intl_prefixes)
            else:
                prefix = rng.choice(self.us_prefixes)
            number = f"{prefix}{rng.randrange(10000):04d}"
            if number not in self._used:
                self._used.add(number)
                return number


@lru_cache(maxsize=8)
def _us_prefixes(seed: int, per_area: int) -> tuple[str, ...]:
    rng = random.Random(f"prefixes-{seed}")
    prefixes: list[str] = []
    for area in US_AREA_CODES:
        found = 0
        for _ in range(per_area * 4):
            exchange = rng.randrange(200, 1000)
            # N11 codes and 555 are service / fictional exchanges, never a subscriber's number.
            if exchange % 100 == 11 or exchange == 555:
                continue
            prefix = f"+1{area}{exchange}"
            if all(_valid(f"{prefix}{rng.randrange(10000):04d}") for _ in range(3)):
                prefixes.append(prefix)
                found += 1
                if found == per_area:
                    break
    return tuple(prefixes)


@lru_cache(maxsize=1)
def _intl_prefixes() -> tuple[str, ...]:
    prefixes: list[str] = []
    for region in INTERNATIONAL_REGIONS:
        example = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
        if example is None:
            continue
        e164 = phonenumbers.format_number(example, phonenumbers.PhoneNumberFormat.E164)
        prefix = e164[:-4]
        if all(_valid(f"{prefix}{n:04d}") for n in (0, 1234, 5678, 9999)):
            prefixes.append(prefix)
    return tuple(prefixes)


def _valid(e164: str) -> bool:
    try:
        return bool(phonenumbers.is_valid_number(phonenumbers.parse(e164, None)))
    except phonenumbers.NumberParseException:
        return False
