"""``smsdesk sandbox serve``: the Mobiniti-compatible sandbox on a real port (uvicorn)."""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys
import time
from collections.abc import Callable
from urllib.parse import urlparse

MAX_CONTACTS = 1_000_000


def _number(kind: Callable[[str], float], low: float, high: float, what: str
            ) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{what} must be a number, not {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{what} must be between {low:g} and {high:g}, "
                                             f"not {text}")
        return value

    return parse


def _url(text: str) -> str:
    parsed = urlparse(text)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise argparse.ArgumentTypeError(f"webhook URL must look like http://host:port/path, "
                                         f"not {text!r}")
    return text


def _kind_url(text: str) -> tuple[str, str]:
    kind, sep, url = text.partition("=")
    if not sep or not kind.strip():
        raise argparse.ArgumentTypeError(f"--webhook wants KIND=URL, not {text!r}")
    return kind.strip(), _url(url.strip())


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sandbox = subparsers.add_parser(
        "sandbox", help="the built-in Mobiniti-compatible sandbox server",
        description="The Mobiniti-compatible sandbox with demo data (no account needed).",
    )
    verbs = sandbox.add_subparsers(title="commands", metavar="COMMAND",
                                   parser_class=type(sandbox))
    serve = verbs.add_parser(
        "serve", help="serve the sandbox on a local port",
        description="Serve the sandbox over HTTP. Point smsdesk (or curl) at the printed URL "
                    "with the printed demo token.",
    )
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_number(int, 0, 65535, "port"), default=8765,
                       help="port (default 8765; 0 picks a free one)")
    serve.add_argument("--seed", type=_number(int, 0, 2**31, "seed"), default=7,
                       help="demo data seed: same seed, same data (default 7)")
    serve.add_argument("--contacts", type=_number(int, 0, MAX_CONTACTS, "contacts"),
                       default=200, help="how many demo contacts (default 200)")
    serve.add_argument("--chaos", type=_number(float, 0.0, 1.0, "chaos rate"), default=0.0,
                       metavar="RATE", help="share of requests that get a fault, 0..1 (default 0)")
    serve.add_argument("--chaos-kinds", default=None, metavar="KIND,...",
                       help="only these faults: latency, drop, server_error, storm, slow_body, "
                            "malformed, response_lost")
    serve.add_argument("--inbound-rate", type=_number(float, 0.0, 6000.0, "inbound rate"),
                       default=2.0, metavar="R",
                       help="texts per minute contacts send on their own (default 2; 0 = off)")
    serve.add_argument("--no-replies", action="store_true",
                       help="contacts never answer the texts you send (no automatic answers, "
                            "so no surprise STOP); for test benches")
    serve.add_argument("--webhook-url", type=_url, default=None, metavar="URL",
                       help="post each Mobiniti webhook kind to URL/<kind> (e.g. "
                            "http://127.0.0.1:8766/webhooks/mobiniti)")
    serve.add_argument("--webhook", action="append", default=[], metavar="KIND=URL",
                       type=_kind_url,
                       help="post this kind to its own URL, like the provider's settings page "
                            "(kinds: inbound_message, unsubscribe, delivery_report, "
                            "contact_status, bounced_message, rejection); repeatable")
    serve.add_argument("--webhook-secret", default=None, metavar="SECRET",
                       help="sent as X-Webhook-Secret with every webhook")
    serve.add_argument("--shape", choices=("default", "php"), default="default",
                       help="answer in our JSON (default) or as a Laravel/Fractal server would "
                            "(php: [] for {}, bare resources, wrapped includes, 10-digit numbers)")
    serve.add_argument("--no-rate-limit", action="store_true",
                       help="turn off the 1 request/second/route limit")
    serve.set_defaults(func=run_serve)
    sandbox.set_defaults(func=lambda _args: _usage(sandbox))


def _usage(parser: argparse.ArgumentParser) -> int:
    parser.print_help(sys.stderr)
    return 2


def _chaos_kinds(text: str | None) -> tuple[str, ...] | None:
    if text is None:
        return None
    return tuple(part.strip() for part in text.split(",") if part.strip())


def run_serve(args: argparse.Namespace) -> int:
    from tui.sandbox import ChaosConfig, SandboxConfig, create_app
    from tui.sandbox.auth import DEMO_TOKEN
    from tui.sandbox.serve import bind, serve
    from tui.sandbox.stats import STATS_PATH, is_loopback, summary

    try:
        kinds = _chaos_kinds(args.chaos_kinds)
        chaos = (ChaosConfig(rate=args.chaos, kinds=kinds, seed=args.seed) if kinds
                 else ChaosConfig(rate=args.chaos, seed=args.seed))
        config = SandboxConfig(
            seed=int(args.seed), contacts=int(args.contacts), rate_limit=not args.no_rate_limit,
            inbound_rate=float(args.inbound_rate), webhook_url=args.webhook_url,
            reply_probability=0.0 if args.no_replies else SandboxConfig.reply_probability,
            webhook_urls=dict(args.webhook),
            webhook_secret=args.webhook_secret, chaos=chaos, shape=args.shape,
        )
    except ValueError as exc:
        print(f"smsdesk sandbox serve: error: {exc}", file=sys.stderr)
        return 2
    try:
        sock = bind(args.host, int(args.port))
    except OSError as exc:
        print(f"smsdesk sandbox serve: error: cannot listen on {args.host}:{args.port} ({exc}). "
              f"Pick another --port.", file=sys.stderr)
        return 2
    started = time.monotonic()
    sandbox = create_app(config)
    port = sock.getsockname()[1]
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"Mobiniti sandbox: {len(sandbox.state.contacts)} contacts, seed {config.seed}, "
          f"ready in {time.monotonic() - started:.1f} s", flush=True)
    print(f"  API:        http://{host}:{port}/v1", flush=True)
    print(f"  demo token: {DEMO_TOKEN}   (Authorization: Bearer <token>)", flush=True)
    print(f"  ProTexting: http://{host}:{port}/protexting/v1/contacts-opt-in/create"
          f"?access_token={config.protexting_token}", flush=True)
    print(f"  Skycore:    http://{host}:{port}/skycore/API/  (API_KEY {config.skycore_api_key})",
          flush=True)
    if config.chaos.rate:
        print(f"  chaos:      {config.chaos.rate:g} of requests get one of "
              f"{', '.join(config.chaos.kinds)}", flush=True)
    if not config.rate_limit:
        print("  rate limit: off", flush=True)
    if args.no_replies:
        print("  replies:    off (contacts do not answer texts)", flush=True)
    print(f"  stats:      http://{host}:{port}{STATS_PATH}  (loopback clients only)", flush=True)
    if not is_loopback(args.host):
        print(f"  warning:    listening on {args.host}, not loopback: anyone who can reach it "
              "can use the demo token above.", flush=True)
    print("Press Ctrl+C to stop.", flush=True)
    try:
        asyncio.run(serve(sandbox, sock))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        report = summary(sandbox.chaos)
        logging.getLogger("tui.sandbox").info("sandbox stopped: %s", report)
        print(f"Stopped after {report}.", flush=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    """``python -m tui.cli.sandbox_cmd serve ...`` works without the rest of the CLI."""
    parser = argparse.ArgumentParser(prog="smsdesk")
    register(parser.add_subparsers())
    args = parser.parse_args(["sandbox", *(argv if argv is not None else sys.argv[1:])])
    return int(args.func(args))


if __name__ == "__main__":
    raise SystemExit(main())
