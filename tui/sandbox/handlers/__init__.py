"""One handler per endpoint name of tui.api.routes.ENDPOINTS."""

from __future__ import annotations

from tui.sandbox.call import Handler
from tui.sandbox.handlers import catalog, contacts, groups, messages, scheduled

HANDLERS: dict[str, Handler] = {
    **contacts.HANDLERS, **groups.HANDLERS, **catalog.HANDLERS, **messages.HANDLERS,
    **scheduled.HANDLERS,
}
