""""Opt in via…": send the highlighted contact's number to ProTexting or Skycore.

The demo wires the sandbox's own provider endpoints; a real profile uses its ``optin`` table.
"""

from __future__ import annotations

from typing import Any

from tui.desk import Desk
from tui.screens.field_form import FieldForm, TextField
from tui.services.contacts import FieldErrors

PROVIDERS = ("protexting", "skycore")


async def _settings_and_transport(desk: Desk) -> tuple[dict[str, str], Any]:
    settings = dict(desk.profile.optin)
    sandbox = (await desk.services()).sandbox
    if sandbox is not None and not settings:
        settings = {"protexting_url": "http://sandbox/protexting",
                    "protexting_token": sandbox.config.protexting_token,
                    "skycore_url": "http://sandbox/skycore/API/",
                    "skycore_api_key": sandbox.config.skycore_api_key}
        return settings, sandbox.transport()
    return settings, None


def opt_in_form(desk: Desk, phone: str) -> FieldForm[str]:
    """A form whose save opts ``phone`` in; it closes with the sentence to show."""

    async def save(values: dict[str, str], _flags: dict[str, bool]) -> str:
        from tui.connectors.protexting import OptInRefused
        from tui.connectors.skycore import SubscribeFailed
        from tui.services.optin import NotConfigured, protexting_opt_in, skycore_subscribe

        provider = values.get("provider", "").strip().lower()
        target = values.get("target", "").strip()
        if provider not in PROVIDERS:
            raise FieldErrors({"provider": ["Type protexting or skycore."]})
        if not target:
            raise FieldErrors({"target": ["Give the group ids (ProTexting) or the campaign "
                                          "reference (Skycore)."]})
        settings, transport = await _settings_and_transport(desk)
        try:
            if provider == "protexting":
                try:
                    groups = [int(g) for g in target.replace(",", " ").split()]
                except ValueError:
                    numbers = ["ProTexting group ids are numbers: 1, 2"]
                    raise FieldErrors({"target": numbers}) from None
                done = await protexting_opt_in(settings, phone, groups,
                                               cta=values.get("cta") or None,
                                               transport=transport)
                return f"Opted {phone} in to ProTexting (contact {done.id})."
            sky = await skycore_subscribe(settings, phone, target, transport=transport)
            return f"Subscribed {phone} to Skycore campaign {sky.campaign_ref}."
        except OptInRefused as exc:
            field = "target" if "GroupIds" in exc.errors else "provider"
            raise FieldErrors({field: [str(exc)]}) from None
        except (SubscribeFailed, NotConfigured) as exc:
            raise FieldErrors({"target": [str(exc)]}) from None

    fields = [
        TextField("provider", "Provider (protexting or skycore)", "protexting"),
        TextField("target", "ProTexting group ids (1, 2) or Skycore campaign reference"),
        TextField("cta", "ProTexting call-to-action text (optional)"),
    ]
    return FieldForm[str](f"Opt in {phone} via…", fields, save)
