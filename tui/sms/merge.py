"""Merge fields: fill ``{first_name}`` / ``{first_name|there}`` from a contact, never send a gap.

Syntax (also in README and docs/api-contract.md):
- ``{name}`` is replaced by the contact's value for ``name`` (letters, digits, ``_``, ``-``, ``.``,
  starting with a letter or digit; matched exactly first, then ignoring case).
- ``{name|fallback}`` uses ``fallback`` when the contact has no value (``{name|}``: nothing).
- ``{{`` and ``}}`` are a literal ``{`` and ``}``. Any other brace is a syntax error with its
  position, so a typo such as ``{first_name`` is caught instead of being texted.
- A value is missing when the contact has no such field, or its value is None or blank text.

``{`` and ``}`` are GSM-7 extension characters (2 septets each) — but the braces of a merge field
never reach the phone: segments are always counted on the rendered text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Final

from tui.sms.segments import SegmentInfo, analyze

_TOKEN: Final = re.compile(
    r"(?P<open>\{\{)|(?P<close>\}\})"
    r"|\{(?P<name>[^{}|]*)(?:\|(?P<fallback>[^{}]*))?\}"
    r"|(?P<stray>[{}])"
)
_NAME: Final = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.\-]*")
# Distinct rendered texts remembered while estimating a campaign (bounds memory on 100k lists).
_ESTIMATE_CACHE: Final = 10_000


class MergeError(ValueError):
    """A template cannot be rendered for this contact (catch this for both cases below)."""


class MergeTemplateError(MergeError):
    """The template itself is malformed; the message names the place and the fix."""


class MissingMergeField(MergeError):
    """Fields the contact has no value for (and no fallback); ``fields`` lists them."""

    def __init__(self, fields: Iterable[str], who: str | None = None) -> None:
        self.fields: tuple[str, ...] = tuple(fields)
        self.who = who
        names = ", ".join("{" + f + "}" for f in self.fields)
        target = f" for {who}" if who else ""
        super().__init__(
            f"No value{target} for {names}. Fill it in on the contact, or give a fallback "
            f"like {{{self.fields[0] if self.fields else 'field'}|there}}."
        )


@dataclass(frozen=True, slots=True)
class _Field:
    name: str
    fallback: str | None
    source: str  # the placeholder as written, for previews


# A compiled template: literal text and fields, in order.
_Piece = str | _Field


@lru_cache(maxsize=1024)
def _compile(template: str) -> tuple[_Piece, ...]:
    pieces: list[_Piece] = []
    last = 0
    buf: list[str] = []
    for m in _TOKEN.finditer(template):
        buf.append(template[last : m.start()])
        last = m.end()
        if m.group("open"):
            buf.append("{")
        elif m.group("close"):
            buf.append("}")
        elif m.group("stray"):
            raise MergeTemplateError(_stray_message(template, m.start(), m.group("stray")))
        else:
            name = m.group("name").strip()
            if not _NAME.fullmatch(name):
                raise MergeTemplateError(
                    f"{m.group()!r} at character {m.start() + 1} is not a merge field: a field "
                    "name starts with a letter and uses letters, digits and _ (e.g. {first_name}). "
                    "Write {{ and }} for literal braces."
                )
            if buf:
                pieces.append("".join(buf))
                buf = []
            pieces.append(_Field(name, m.group("fallback"), m.group()))
    buf.append(template[last:])
    text = "".join(buf)
    if text:
        pieces.append(text)
    return tuple(pieces)


def _stray_message(template: str, pos: int, brace: str) -> str:
    where = template[max(0, pos - 10) : pos + 10]
    return (
        f"Unmatched {brace!r} at character {pos + 1} (near {where!r}). Close the field like "
        f"{{first_name}}, or write {brace * 2} for a literal {brace}."
    )


def check_template(template: str) -> None:
    """Raise ``MergeTemplateError`` when ``template`` is malformed; otherwise do nothing."""
    _compile(template)


def fields_used(template: str) -> tuple[str, ...]:
    """The field names ``template`` uses, in order of first use, each once."""
    return tuple(dict.fromkeys(p.name for p in _compile(template) if isinstance(p, _Field)))


def fields_required(template: str) -> tuple[str, ...]:
    """The fields without a fallback: a contact must have a value for each."""
    return tuple(
        dict.fromkeys(
            p.name for p in _compile(template) if isinstance(p, _Field) and p.fallback is None
        )
    )


def lookup(contact: Any, name: str, extra: Mapping[str, Any] | None = None) -> str | None:
    """The contact's value for ``name`` as text, or None when it has none.

    ``contact`` is a mapping (a nested ``"fields"`` mapping is searched too) or an object with
    attributes, such as ``tui.api.models.Contact`` whose custom fields live in ``.fields``.
    ``extra`` holds values shared by every recipient (e.g. ``coupon_code``), used when the
    contact has none. Names starting with ``_`` are never looked up.
    """
    if name.startswith("_"):
        return None
    for source in (contact, extra):
        if source is None:
            continue
        value = _find(source, name)
        if value is None and name.lower() != name:
            value = _find(source, name.lower())
        if value is None:
            value = _find_casefold(source, name)
        text = _as_text(value)
        if text is not None:
            return text
    return None


def _find(source: Any, name: str) -> Any:
    if isinstance(source, Mapping):
        if name in source:
            return source[name]
        nested = source.get("fields")
    else:
        value = getattr(source, name, None)
        if value is not None and not callable(value):
            return value
        nested = getattr(source, "fields", None)
    if isinstance(nested, Mapping):
        return nested.get(name)
    return None


def _find_casefold(source: Any, name: str) -> Any:
    wanted = name.casefold()
    keys: list[Mapping[str, Any]] = []
    if isinstance(source, Mapping):
        keys.append(source)
        nested = source.get("fields")
    else:
        nested = getattr(source, "fields", None)
    if isinstance(nested, Mapping):
        keys.append(nested)
    for mapping in keys:
        for key, value in mapping.items():
            if isinstance(key, str) and key.casefold() == wanted:
                return value
    return None


def _as_text(value: Any) -> str | None:
    if value is None or isinstance(value, Mapping | list | tuple | set):
        return None
    text = value if isinstance(value, str) else str(value)
    return text if text.strip() else None


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered text and what could not be filled (``missing`` empty means it can be sent).

    When something is missing, ``text`` keeps the placeholder as written (``{first_name}``) so a
    preview shows the gap; it must not be sent.
    """

    text: str
    missing: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return not self.missing


def preview(
    template: str,
    contact: Any,
    *,
    fallback: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Rendered:
    """Render without raising for missing fields (``Rendered.missing`` lists them).

    ``fallback`` applies to every field that has none of its own. Raises
    ``MergeTemplateError`` only when the template is malformed.
    """
    out: list[str] = []
    missing: list[str] = []
    for piece in _compile(template):
        if isinstance(piece, str):
            out.append(piece)
            continue
        value = lookup(contact, piece.name, extra)
        if value is None:
            value = piece.fallback if piece.fallback is not None else fallback
        if value is None:
            missing.append(piece.name)
            out.append(piece.source)
        else:
            out.append(value)
    return Rendered("".join(out), tuple(dict.fromkeys(missing)))


def render(
    template: str,
    contact: Any,
    *,
    fallback: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> str:
    """The text to send to ``contact``; raises ``MissingMergeField`` rather than leave a gap."""
    result = preview(template, contact, fallback=fallback, extra=extra)
    if result.missing:
        raise MissingMergeField(result.missing, _who(contact))
    return result.text


def _who(contact: Any) -> str | None:
    for name in ("display_name", "phone_number"):
        value = contact.get(name) if isinstance(contact, Mapping) else getattr(contact, name, None)
        if isinstance(value, str) and value:
            return value
    return None


@dataclass(frozen=True, slots=True)
class SegmentEstimate:
    """Segments of a template rendered for each contact (what the campaign will cost).

    ``worst`` is the longest rendered text's analysis (None when no contact could be
    rendered) and ``worst_index`` its contact's position. ``total_segments`` sums the
    segments of every renderable contact: recipients × segments, exactly. ``missing`` maps the
    position of each contact that cannot be rendered to the fields it lacks; those contacts are
    not counted and must not be sent to.
    """

    worst: SegmentInfo | None
    worst_index: int | None
    total_segments: int
    recipients: int
    missing: dict[int, tuple[str, ...]]

    @property
    def segments(self) -> int:
        return self.worst.segments if self.worst else 0


def worst_case_segments(
    template: str,
    contacts: Iterable[Any],
    *,
    fallback: str | None = None,
    extra: Mapping[str, Any] | None = None,
) -> SegmentEstimate:
    """Render ``template`` for every contact and count the segments of each rendered text."""
    worst: SegmentInfo | None = None
    worst_index: int | None = None
    total = recipients = 0
    missing: dict[int, tuple[str, ...]] = {}
    seen: dict[str, SegmentInfo] = {}  # many contacts render the same text (same first name)
    for index, contact in enumerate(contacts):
        result = preview(template, contact, fallback=fallback, extra=extra)
        if result.missing:
            missing[index] = result.missing
            continue
        info = seen.get(result.text)
        if info is None:
            info = analyze(result.text)
            if len(seen) < _ESTIMATE_CACHE:
                seen[result.text] = info
        recipients += 1
        total += info.segments
        if worst is None or (info.segments, info.units) > (worst.segments, worst.units):
            worst, worst_index = info, index
    return SegmentEstimate(worst, worst_index, total, recipients, missing)
