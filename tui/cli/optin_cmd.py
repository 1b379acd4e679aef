"""``smsdesk optin protexting NUMBER --group ID…`` and ``smsdesk optin skycore NUMBER …``."""

from __future__ import annotations

import argparse
import asyncio
import sys


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    optin = subparsers.add_parser(
        "optin", help="opt a number in through ProTexting or Skycore",
        description="Settings come from the profile's [profiles.NAME.optin] table: "
                    "protexting_url, protexting_token, skycore_url, skycore_api_key.")
    providers = optin.add_subparsers(title="providers", metavar="PROVIDER", required=True)
    pt = providers.add_parser("protexting", help="ProTexting contact opt-in")
    pt.add_argument("number")
    pt.add_argument("--group", type=int, action="append", required=True, metavar="ID",
                    help="a ProTexting group id (repeat for several)")
    pt.add_argument("--cta", metavar="TEXT", help="the call-to-action text sent first")
    pt.add_argument("--confirm", metavar="TEXT", help="the confirmation sent once subscribed")
    pt.add_argument("--always-send-cta", action="store_true",
                    help="send the CTA even to numbers already opted in")
    pt.set_defaults(func=lambda a: asyncio.run(_protexting(a)))
    sky = providers.add_parser("skycore", help="Skycore subscribe")
    sky.add_argument("number")
    sky.add_argument("--campaign", required=True, metavar="REF", help="the campaign reference")
    sky.add_argument("--timezone", metavar="ABBR",
                     help="EST, CST, MST, PST, …; default: the number's own zone")
    sky.add_argument("--data", action="append", default=[], metavar="NAME=VALUE",
                     help="subscriber data (repeat), e.g. FIRST_NAME=Ann")
    sky.set_defaults(func=lambda a: asyncio.run(_skycore(a)))


def _profile(args: argparse.Namespace) -> tuple[dict[str, str], str]:
    from tui import config as cfg

    loaded = cfg.load()
    profile = loaded.settings.profile(args.profile or loaded.settings.default_profile)
    return dict(profile.optin), profile.default_country


def _fail(reason: str) -> int:
    print(f"smsdesk optin: {' '.join(reason.split())}", file=sys.stderr)
    return 1


async def _protexting(args: argparse.Namespace) -> int:
    from tui.connectors.protexting import OptInRefused
    from tui.services.optin import NotConfigured, protexting_opt_in
    from tui.sms.phones import InvalidPhoneNumber, normalize

    settings, region = _profile(args)
    try:
        phone = normalize(args.number, region)
        print(f"opting {phone} in to ProTexting groups {args.group}…", file=sys.stderr)
        done = await protexting_opt_in(settings, phone, args.group, cta=args.cta,
                                       confirm=args.confirm,
                                       send_cta=True if args.always_send_cta else None)
    except (InvalidPhoneNumber, NotConfigured, OptInRefused) as exc:
        return _fail(str(exc))
    print(f"opted in: {done.number} (ProTexting contact {done.id})")
    return 0


async def _skycore(args: argparse.Namespace) -> int:
    from tui.connectors.skycore import SubscribeFailed
    from tui.services.optin import NotConfigured, skycore_subscribe
    from tui.sms.phones import InvalidPhoneNumber, normalize

    settings, region = _profile(args)
    data = {}
    for item in args.data:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            return _fail(f"--data {item!r}: write NAME=VALUE")
        data[name.strip()] = value
    try:
        phone = normalize(args.number, region)
        print(f"subscribing {phone} to Skycore campaign {args.campaign}…", file=sys.stderr)
        done = await skycore_subscribe(settings, phone, args.campaign, data=data or None,
                                       timezone=args.timezone)
    except (InvalidPhoneNumber, NotConfigured, SubscribeFailed) as exc:
        return _fail(str(exc))
    print(f"subscribed: {done.mobile} to campaign {done.campaign_ref}")
    return 0
