"""Deterministic demo data: a believable shop's subscribers, groups, campaigns and conversations."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta

from tui.api import codes
from tui.api import models as m
from tui.sandbox import demo_text as words
from tui.sandbox.phones import NumberPool, stable_hash
from tui.sandbox.records import (
    ContactRecord,
    GroupRecord,
    KeywordRecord,
    MessageRecord,
    ScheduledRecord,
)
from tui.sandbox.state import SandboxState

_FAILURE_CODES = tuple(c for c in codes.DELIVERY_CODES if c not in ("100", "136", "137"))
_COUNTRY_PREFIXES = (("+1506", "CA"), ("+44", "GB"), ("+52", "MX"), ("+49", "DE"),
                     ("+61", "AU"), ("+33", "FR"), ("+353", "IE"))
_YEAR = timedelta(days=365)


def populate(state: SandboxState, *, seed: int, contacts: int) -> None:
    """Fill ``state`` with an account of ``contacts`` subscribers; same seed, same account."""
    rng = random.Random(seed)
    now = state.now()
    _carriers(state)
    _optins(state, now)
    _groups(state, rng, now)
    _coupons(state, rng, now)
    _campaigns(state, rng, now)
    pool = NumberPool(seed)
    _contacts(state, rng, pool, contacts, now)
    _conversations(state, rng, now)
    _scheduled(state, rng, now)


def _carriers(state: SandboxState) -> None:
    for name, country in words.CARRIERS:
        carrier = m.Carrier(id=state.ids.new(), name=name, country=country)
        state.carriers[carrier.id] = carrier


def carrier_for(state: SandboxState, phone: str) -> m.Carrier:
    """The fake carrier of a number: fixed by the number, plausible for its country."""
    return _carrier_picker(state)(phone)


def _carrier_picker(state: SandboxState) -> Callable[[str], m.Carrier]:
    by_country: dict[str, list[m.Carrier]] = {}
    for carrier in state.carriers.values():
        by_country.setdefault(carrier.country or "US", []).append(carrier)
    everyone = list(state.carriers.values())

    def pick(phone: str) -> m.Carrier:
        country = "US"
        if not phone.startswith("+1") or phone.startswith("+1506"):
            country = next((c for prefix, c in _COUNTRY_PREFIXES if phone.startswith(prefix)),
                           "US")
        matching = by_country.get(country) or everyone
        return matching[stable_hash(phone) % len(matching)]

    return pick


def _optins(state: SandboxState, now: datetime) -> None:
    for name, description in words.OPTINS:
        optin_id = state.ids.new()
        state.optins[optin_id] = m.OptIn(id=optin_id, name=name, description=description)


def _groups(state: SandboxState, rng: random.Random, now: datetime) -> None:
    optin_ids = list(state.optins)
    for index, (name, keyword, join_message) in enumerate(words.GROUPS):
        created = now - _YEAR * 2 + timedelta(days=index * 30)
        group = GroupRecord(
            id=state.ids.new(), name=name, created_at=created,
            updated_at=created + timedelta(days=rng.randrange(1, 300)),
            join_message=join_message, always_send_join=keyword is not None,
            email_new_contact=index == 0,
            optin_id=optin_ids[index % len(optin_ids)] if index < 4 else None,
            keyword=KeywordRecord(state.ids.new(), keyword) if keyword else None,
        )
        state.groups[group.id] = group


def _coupons(state: SandboxState, rng: random.Random, now: datetime) -> None:
    for name, background, text in words.COUPON_TEMPLATES:
        created = now - timedelta(days=rng.randrange(200, 600))
        template = m.CouponTemplate(id=state.ids.new(), name=name, background_color=background,
                                    text_color=text, created_at=created, updated_at=created)
        state.coupon_templates[template.id] = template
    template_ids = list(state.coupon_templates)
    for index, (name, title, description, code) in enumerate(words.COUPONS):
        created = now - timedelta(days=rng.randrange(10, 200))
        coupon = m.Coupon(
            id=state.ids.new(), name=name, title=title, description=description, code=code,
            coupon_template_id=template_ids[index % len(template_ids)],
            expires_at=now + timedelta(days=rng.randrange(10, 120)) if index % 2 == 0 else None,
            redemptions=rng.randrange(0, 400), created_at=created, updated_at=created,
        )
        state.coupons[coupon.id] = coupon


def _campaigns(state: SandboxState, rng: random.Random, now: datetime) -> None:
    for name, message in words.CAMPAIGN_TEMPLATES:
        created = now - timedelta(days=rng.randrange(30, 400))
        template = m.CampaignTemplate(id=state.ids.new(), name=name, message=message,
                                      created_at=created, updated_at=created)
        state.campaign_templates[template.id] = template
    group_ids = list(state.groups)
    coupon_ids = list(state.coupons)
    for index, (name, message) in enumerate(words.CAMPAIGNS):
        created = now - timedelta(days=60 - index * 10)
        status = ("sent", "sent", "scheduled", "draft", "draft")[index]
        send_at = (created + timedelta(days=2) if status == "sent"
                   else now + timedelta(days=3) if status == "scheduled" else None)
        campaign = m.Campaign(
            id=state.ids.new(), name=name, message=message, status=status,
            group_ids=rng.sample(group_ids, 2), send_at=send_at,
            coupon_id=coupon_ids[index % len(coupon_ids)] if index % 2 == 0 else None,
            sent_at=send_at if status == "sent" else None, created_at=created,
            updated_at=created,
        )
        state.campaigns[campaign.id] = campaign


def _contacts(state: SandboxState, rng: random.Random, pool: NumberPool, count: int,
              now: datetime) -> None:
    group_ids = list(state.groups)
    public_groups = group_ids[:-2]      # Wholesale and Staff are hand-picked, not joinable
    start = now - _YEAR * 2
    step = (_YEAR * 2 - timedelta(days=1)) / max(count, 1)
    first_names, last_names = words.FIRST_NAMES, words.LAST_NAMES
    random_ = rng.random
    carrier_of = _carrier_picker(state)
    for index in range(count):
        phone = pool.next(rng)
        created = start + step * index
        first = first_names[int(random_() * len(first_names))]
        last = last_names[int(random_() * len(last_names))] if random_() < 0.8 else None
        roll = random_()
        groups = ([] if roll < 0.1 else [public_groups[int(random_() * len(public_groups))]])
        if roll > 0.85:
            groups.append(public_groups[int(random_() * len(public_groups))])
        if index < 5:
            groups.append(group_ids[-1])
        elif roll < 0.02:
            groups.append(group_ids[-2])
        contact = ContactRecord(
            id=state.ids.new(), phone_number=phone, created_at=created,
            updated_at=created,
            first_name=first, last_name=last,
            email=(f"{first.lower()}.{(last or 'x').lower()}{index}@"
                   f"{words.EMAIL_DOMAINS[index % len(words.EMAIL_DOMAINS)]}"
                   if random_() < 0.4 else None),
            gender=("female", "male", None)[index % 3] if random_() < 0.5 else None,
            birth_date=(f"{1950 + int(random_() * 55)}-{1 + index % 12:02d}-{1 + index % 28:02d}"
                        if random_() < 0.3 else None),
            zip=f"{10000 + int(random_() * 89999)}" if random_() < 0.5 else None,
            reward_points=int(random_() * 20) * 5 if random_() < 0.6 else 0,
            carrier_id=carrier_of(phone).id,
            groups=list(dict.fromkeys(groups)),
        )
        if random_() < 0.02:
            contact.unsubscribed_at = created + (now - created) * random_()
        if random_() < 0.005:
            contact.carrier_status = "deactivated" if index % 2 else "suspended"
        state.add_contact(contact)


def _conversations(state: SandboxState, rng: random.Random, now: datetime) -> None:
    contacts = list(state.contacts.values())
    if not contacts:
        return
    count = min(len(contacts), max(20, len(contacts) // 10), 1500)
    chosen = rng.sample(contacts, count)
    records: list[MessageRecord] = []
    for rank, contact in enumerate(chosen):
        # a few conversations are fresh (minutes old) so the demo inbox has something new
        end = now - (timedelta(minutes=rng.randrange(1, 50)) if rank < 6
                     else timedelta(seconds=rng.randrange(3600, 14 * 86400)))
        unread = rank < 6 or rng.random() < 0.15
        stop = rank >= 6 and rng.random() < 0.08
        records.extend(_conversation(state, rng, contact, end, unread=unread, stop=stop))
    records.sort(key=lambda r: r.created_at)
    state.messages.extend(records)
    state.messages.sort(key=lambda r: r.created_at)
    for record in records:
        state.messages_by_id[record.id] = record


def _conversation(state: SandboxState, rng: random.Random, contact: ContactRecord,
                  end: datetime, *, unread: bool, stop: bool) -> list[MessageRecord]:
    lines: list[tuple[str, str, str]] = []   # (direction, type name, text)
    first = contact.first_name or "there"
    if rng.random() < 0.5:
        lines.append(("outgoing", "OUTGOING_CAMPAIGN", _shop_text(rng, first)))
    for _ in range(rng.randrange(1, 4)):
        long = rng.random() < 0.15
        ask = rng.choice(words.QUESTIONS + words.LONG_TEXTS if long else words.QUESTIONS)
        lines.append(("incoming", "INCOMING_REPLY", ask))
        lines.append(("outgoing", "OUTGOING_REPLY", _shop_text(rng, first)))
        if rng.random() < 0.4:
            lines.append(("incoming", "INCOMING_REPLY", rng.choice(words.THANKS)))
    if stop:
        lines.append(("incoming", "INCOMING_KEYWORD", "STOP"))
        lines.append(("outgoing", "OUTGOING_REPLY", words.STOP_REPLY))
    elif unread:
        lines.append(("incoming", "INCOMING_REPLY", rng.choice(words.QUESTIONS + words.THANKS)))
    gap = timedelta(minutes=rng.randrange(2, 90))
    at = end - gap * (len(lines) - 1)
    at = max(at, contact.created_at + timedelta(minutes=1))
    records = []
    for index, (direction, type_name, text) in enumerate(lines):
        created = min(at + gap * index, end)
        outgoing = direction == "outgoing"
        code = None
        if outgoing:
            code = rng.choice(_FAILURE_CODES) if rng.random() < 0.03 else codes.DELIVERED
        records.append(MessageRecord(
            id=state.ids.new(), phone_number=contact.phone_number, message=text,
            direction="outgoing" if outgoing else "incoming", type_name=type_name,
            created_at=created, updated_at=created,
            read=outgoing or not (unread and index == len(lines) - 1),
            contact_id=contact.id, short_code=state.short_code,
            receipt_code=code, receipt_updated_at=created + timedelta(seconds=3) if code else None,
        ))
    if stop:
        contact.unsubscribed_at = contact.updated_at = records[-2].created_at
    return records


def _shop_text(rng: random.Random, first: str) -> str:
    return rng.choice(words.SHOP_TEXTS).format(first=first)


def _scheduled(state: SandboxState, rng: random.Random, now: datetime) -> None:
    subscribed = [c for c in list(state.contacts.values())[:200] if c.subscribed]
    if not subscribed:
        return
    for index in range(min(7, len(subscribed))):
        contact = rng.choice(subscribed)
        pending = index < 5
        send_at = (now + timedelta(hours=rng.randrange(1, 24 * 14)) if pending
                   else now - timedelta(days=rng.randrange(1, 30)))
        created = min(send_at, now) - timedelta(days=rng.randrange(1, 5))
        record = ScheduledRecord(
            id=state.ids.new(), phone_number=contact.phone_number,
            message=rng.choice(words.SHOP_TEXTS).format(first=contact.first_name or "there"),
            send_at=send_at, created_at=created, updated_at=created,
            status="pending" if pending else "sent",
        )
        state.scheduled[record.id] = record
