"""Messages (with receipt, type and contact includes) and scheduled messages.

The seed documents almost none of a message's fields, so the derivations live here: a message's
direction from ``type`` or from who sent it (``from``), a receipt's meaning from its code, a
creation time under the names a server might use, a scheduled time under several names.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import AliasChoices, Field, PrivateAttr, model_validator

from tui.api.models.base import PhoneNumber, Resource, TextMap, Timestamp
from tui.api.models.contacts import Contact
from tui.api.models.tolerant import is_wrapped

MessageDirection = Literal["incoming", "outgoing"]
# Names a server may give the time a message was created / a scheduled message is due.
_CREATED_NAMES = ("created_at", "sent_at", "received_at", "date")
_SEND_AT_NAMES = ("send_at", "scheduled_at", "scheduled_for", "send_time", "deliver_at",
                  "send_date")


def _last_digits(value: Any, count: int = 10) -> str:
    return "".join(ch for ch in str(value) if ch.isdigit())[-count:]


def direction_of(data: dict[str, Any]) -> MessageDirection | None:
    """A message's direction when the server did not write one: from its type, or its sender."""
    kind: Any = data.get("type")
    if is_wrapped(kind):
        kind = kind["data"]
    if isinstance(kind, dict):
        kind = kind.get("direction") or kind.get("name")
    if isinstance(kind, str):
        upper = kind.upper()
        if upper.startswith("INCOMING"):
            return "incoming"
        if upper.startswith("OUTGOING"):
            return "outgoing"
    sender = data.get("from")
    if sender is not None and data.get("phone_number") is not None:
        same = _last_digits(sender) == _last_digits(data["phone_number"])
        return "incoming" if same else "outgoing"
    return None


class MessageType(Resource):
    """Included with ``include=type``. ``name`` is e.g. INCOMING_REPLY or OUTGOING_CAMPAIGN."""

    name: str
    direction: MessageDirection | None = None

    @model_validator(mode="after")
    def _derive(self) -> MessageType:
        if self.direction is None:
            self.direction = direction_of({"type": self.name}) or "incoming"
        return self


class Receipt(Resource):
    """Delivery receipt (``include=receipt``). ``code`` is the seed's delivery code table."""

    code: str
    status: str = ""
    success: bool | None = None
    bounce: bool = False
    updated_at: Timestamp | None = None

    @model_validator(mode="after")
    def _derive(self) -> Receipt:
        from tui.api import codes

        if not self.status:
            self.status = codes.delivery_meaning(self.code)
        if self.success is None:
            self.success = self.code == codes.DELIVERED
        return self


class Message(Resource):
    id: str
    phone_number: PhoneNumber
    message: str
    direction: MessageDirection
    read: bool = False
    contact_id: str | None = None
    short_code: str | None = None
    metadata: TextMap = Field(default_factory=dict)
    created_at: Timestamp
    updated_at: Timestamp
    type: MessageType | None = None
    receipt: Receipt | None = None
    contact: Contact | None = None
    # True when neither the server nor a derivation said the direction (see ``guessed``).
    _direction_guessed: bool = PrivateAttr(default=False)

    @model_validator(mode="before")
    @classmethod
    def _derive(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        data = dict(data)
        if data.get("created_at") is None:
            data["created_at"] = next(
                (data[n] for n in _CREATED_NAMES[1:] if data.get(n) is not None), None)
        guessed = False
        if data.get("direction") not in ("incoming", "outgoing"):
            found = direction_of(data)
            guessed = found is None
            data["direction"] = found or "incoming"
        data["_guessed"] = guessed
        return data

    def model_post_init(self, context: Any) -> None:
        extra = self.__pydantic_extra__
        if extra is not None and "_guessed" in extra:
            self._direction_guessed = bool(extra.pop("_guessed"))

    @property
    def direction_guessed(self) -> bool:
        """The server gave no direction, type or sender: ``direction`` is a guess."""
        return self._direction_guessed


class ScheduledMessage(Resource):
    id: str
    phone_number: PhoneNumber
    message: str
    send_at: Timestamp = Field(validation_alias=AliasChoices(*_SEND_AT_NAMES))
    status: Literal["pending", "sent", "cancelled", "failed"] = "pending"
    message_id: str | None = None
    created_at: Timestamp
    updated_at: Timestamp
