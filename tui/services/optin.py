"""Opting a number in through another provider (ProTexting, Skycore), with the profile's settings.

Settings live in the profile's ``optin`` table; the secrets may come from the environment
(``SMSDESK_PROTEXTING_TOKEN``, ``SMSDESK_SKYCORE_API_KEY``) so they stay out of the file.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from typing import Final

import httpx

from tui.connectors import protexting, skycore
from tui.connectors.skycore_zones import abbreviation_for
from tui.sms.phones import timezone_of

PROTEXTING_TOKEN_ENV: Final = "SMSDESK_PROTEXTING_TOKEN"
SKYCORE_KEY_ENV: Final = "SMSDESK_SKYCORE_API_KEY"
TIMEOUT: Final = httpx.Timeout(20.0, connect=10.0)


class NotConfigured(Exception):
    """A setting the connector needs is missing; the message says which and how to set it."""


def _setting(settings: Mapping[str, str], key: str, env: str | None = None) -> str:
    value = (os.environ.get(env) if env else None) or settings.get(key, "")
    if not value:
        hint = f" or set {env}" if env else ""
        raise NotConfigured(f"The profile has no optin.{key}: add it to the config file "
                            f"(smsdesk config show prints where){hint}.")
    return value


async def protexting_opt_in(settings: Mapping[str, str], phone: str, group_ids: Sequence[int],
                            *, cta: str | None = None, confirm: str | None = None,
                            send_cta: bool | None = None,
                            transport: httpx.AsyncBaseTransport | None = None
                            ) -> protexting.OptedIn:
    token = _setting(settings, "protexting_token", PROTEXTING_TOKEN_ENV)
    url = settings.get("protexting_url") or protexting.DEFAULT_URL
    async with httpx.AsyncClient(timeout=TIMEOUT, transport=transport) as http:
        connector = protexting.ProTextingOptIn(http, token, url)
        return await connector.opt_in(phone, group_ids, cta=cta, confirm=confirm,
                                      send_cta=send_cta)


async def skycore_subscribe(settings: Mapping[str, str], phone: str, campaign_ref: str, *,
                            data: Mapping[str, str] | None = None, timezone: str | None = None,
                            transport: httpx.AsyncBaseTransport | None = None
                            ) -> skycore.Subscribed:
    """``timezone`` defaults to the abbreviation of the number's own zone, when known."""
    key = _setting(settings, "skycore_api_key", SKYCORE_KEY_ENV)
    url = settings.get("skycore_url") or skycore.DEFAULT_URL
    if timezone is None:
        zone = timezone_of(phone)
        timezone = abbreviation_for(zone.key if zone else None)
    async with httpx.AsyncClient(timeout=TIMEOUT, transport=transport) as http:
        return await skycore.subscribe(http, url, key, campaign_ref, phone, data=data,
                                       timezone=timezone)
