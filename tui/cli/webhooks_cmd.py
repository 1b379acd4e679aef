"""``smsdesk webhooks listen``: the webhook receiver for Mobiniti, Opt It Mobile and Skycore."""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys

LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1"})


def is_loopback(host: str) -> bool:
    if host in LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _port(text: str) -> int:
    if not text.isdigit() or not 0 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0..65535, not {text!r}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 64:
        raise argparse.ArgumentTypeError(f"must be a whole number 1..64, not {text!r}")
    return int(text)


def _size(text: str) -> int:
    if not text.isdigit() or not 1024 <= int(text) <= 16 * 1024 * 1024:
        raise argparse.ArgumentTypeError(f"must be 1024..16777216 bytes, not {text!r}")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    hooks = subparsers.add_parser(
        "webhooks", help="receive provider webhooks (Mobiniti, Opt It Mobile, Skycore)",
        description="Receive provider events into the profile's store; the app shows them live.")
    verbs = hooks.add_subparsers(title="commands", metavar="COMMAND", parser_class=type(hooks))
    listen = verbs.add_parser(
        "listen", help="run the webhook receiver",
        description="Serve POST /webhooks/mobiniti[/<kind>], /webhooks/optit and "
                    "/webhooks/skycore. Every request needs the profile's webhook secret as "
                    "?secret=... or an X-Webhook-Secret header. See docs/webhooks.md.")
    listen.add_argument("--host", default="127.0.0.1",
                        help="address to bind (default 127.0.0.1: this machine only)")
    listen.add_argument("--port", type=_port, default=8787, help="port (default 8787)")
    listen.add_argument("--public", action="store_true",
                        help="allow an address other than loopback (put TLS in front of it)")
    listen.add_argument("--workers", type=_count, default=1,
                        help="worker processes sharing the store (default 1)")
    listen.add_argument("--max-body", type=_size, default=64 * 1024, metavar="BYTES",
                        help="largest body accepted (default 65536)")
    listen.add_argument("--profile", dest="receiver_profile", metavar="NAME",
                        help="profile whose store and secret to use")
    listen.set_defaults(func=_listen)


def _listen(args: argparse.Namespace) -> int:
    import uvicorn

    from tui.events.receiver import create_receiver
    from tui.events.serve import MAX_BODY_ENV, PROFILE_ENV, receiver_config, uvicorn_config
    from tui.logs import setup_logging

    if not is_loopback(args.host) and not args.public:
        print(f"smsdesk: {args.host} is reachable from other machines. Add --public if that is "
              "what you want (and put HTTPS in front: the secret travels in the request).",
              file=sys.stderr)
        return 2
    profile = args.receiver_profile or getattr(args, "profile", None)
    config = receiver_config(profile, args.max_body)
    log = setup_logging()
    if not is_loopback(args.host):
        print(f"warning: listening on {args.host}: anyone who can reach this port can try; "
              "only the secret keeps them out. Use HTTPS in front of it.", file=sys.stderr)
    base = f"http://{args.host}:{args.port}"
    print(f"Receiving webhooks at {base}/webhooks/{{mobiniti,optit,skycore}}", flush=True)
    print(f"  store: {config.store_path}\n  log:   {log}\n  secret: ?secret=… or "
          "X-Webhook-Secret (smsdesk config show)\nCtrl+C stops.", flush=True)
    if args.workers > 1:
        os.environ[PROFILE_ENV] = profile or ""
        os.environ[MAX_BODY_ENV] = str(args.max_body)
        uvicorn.run("tui.events.serve:worker_app", factory=True, host=args.host,
                    port=args.port, workers=args.workers, access_log=False,
                    log_level="warning")
        return 0
    uvicorn.Server(uvicorn_config(create_receiver(config), args.host, args.port)).run()
    return 0
