"""``smsdesk config init|show|set|profiles``: manage the config file from the shell."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

import tomli_w

from tui import config as cfg


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser(
        "config", help="create, show and change the config file", description=__doc__
    )
    parser.set_defaults(func=lambda _args: _help(parser))
    verbs = parser.add_subparsers(title="verbs", metavar="VERB", parser_class=type(parser))

    init = verbs.add_parser("init", help="create the config file (or add a profile to it)")
    init.add_argument("--profile", default=cfg.DEFAULT_PROFILE, help="profile name to create")
    init.add_argument("--base-url", help="API base URL (default: Mobiniti's)")
    init.add_argument(
        "--token-stdin", action="store_true", help="read the access token from standard input"
    )
    init.add_argument("--force", action="store_true", help="replace an existing profile")
    init.set_defaults(func=_init)

    show = verbs.add_parser("show", help="print the settings (the token is masked)")
    show.set_defaults(func=_show)

    set_ = verbs.add_parser(
        "set",
        help="change one setting",
        epilog="Settings: " + "; ".join(f"{k} ({v})" for k, v in cfg.SETTABLE_KEYS.items()),
    )
    set_.add_argument("key", help="setting name, e.g. poll_interval or quiet_hours.start")
    set_.add_argument("value", help="new value ('-' reads it from standard input)")
    set_.add_argument("--profile", help="profile to change (default: the default profile)")
    set_.set_defaults(func=_set)

    profiles = verbs.add_parser("profiles", help="list the profiles")
    profiles.set_defaults(func=_profiles)

    keys = verbs.add_parser("keys", help="list the binding ids a keymap can change, by place")
    keys.set_defaults(func=_keys)

    path = verbs.add_parser("path", help="print where the config file is")
    path.set_defaults(func=lambda _args: print(cfg.config_path()) or 0)


def _help(parser: argparse.ArgumentParser) -> int:
    parser.print_help()
    return 0


def _load() -> cfg.Loaded:
    loaded = cfg.load()
    for warning in loaded.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    return loaded


def _read_secret(prompt: str) -> str:
    if sys.stdin.isatty():
        return getpass.getpass(prompt).strip()
    return sys.stdin.readline().strip()


def _init(args: argparse.Namespace) -> int:
    loaded = _load()
    settings = loaded.settings if loaded.exists else cfg.Settings(profiles={})
    if args.profile in settings.profiles and not args.force:
        print(
            f"Profile {args.profile!r} already exists in {loaded.path}. "
            "Use --force to replace it, or 'smsdesk config set' to change one value.",
            file=sys.stderr,
        )
        return 1
    profile = cfg.Profile()
    if args.base_url:
        profile = cfg.Profile(base_url=args.base_url)
    if args.token_stdin:
        token = _read_secret("Access token: ")
        if token:
            profile.token = token
    settings.profiles[args.profile] = profile
    if len(settings.profiles) == 1:
        settings.default_profile = args.profile
    cfg.save(settings, loaded.path)
    print(f"Wrote {loaded.path} (mode 600) with profile {args.profile!r}.")
    if not profile.token:
        print(
            "No token stored. Set SMSDESK_TOKEN, or run: "
            f"smsdesk config set token - --profile {args.profile}   (reads it from stdin)"
        )
    return 0


MIN_SECRET = 16


def _masked(settings: cfg.Settings) -> dict[str, Any]:
    data = settings.to_toml()
    for name, profile in settings.profiles.items():
        data["profiles"][name]["token"] = cfg.mask_token(profile.token)
        if profile.webhook_secret:
            data["profiles"][name]["webhook_secret"] = cfg.mask_token(profile.webhook_secret)
    return data


def _show(_args: argparse.Namespace) -> int:
    loaded = _load()
    where = str(loaded.path) if loaded.exists else f"{loaded.path} (not created yet: defaults)"
    print(f"# {where}")
    if cfg.TOKEN_ENV in os.environ:
        print(f"# {cfg.TOKEN_ENV} is set and overrides the token below")
    print(tomli_w.dumps(_masked(loaded.settings)), end="")
    return 0


def _set(args: argparse.Namespace) -> int:
    loaded = _load()
    value = args.value
    if value == "-":
        value = _read_secret(f"{args.key}: ")
    elif args.key == "token":
        print(
            "warning: a token typed on the command line stays in your shell history; "
            "next time use: smsdesk config set token -",
            file=sys.stderr,
        )
    if args.key == "webhook_secret" and len(value) < MIN_SECRET:
        print(f"warning: a webhook secret shorter than {MIN_SECRET} characters can be guessed; "
              "use a long random one (python3 -c 'import secrets; print(secrets.token_urlsafe"
              "(24))')", file=sys.stderr)
    profile = args.profile or loaded.settings.default_profile
    updated = cfg.set_value(loaded.settings, profile, args.key, value)
    if args.key.startswith("keymap."):
        from tui.screens.keymap import keymap_problems

        problems = keymap_problems(updated.profile(profile).keymap)
        if problems:
            raise cfg.ConfigError(f"{args.key}: " + "; ".join(problems) + ". Nothing was changed.")
    cfg.save(updated, loaded.path)
    shown = cfg.mask_token(value) if args.key in ("token", "webhook_secret") else value
    print(f"{args.key} = {shown} (profile {profile!r}) in {loaded.path}")
    return 0


def _profiles(_args: argparse.Namespace) -> int:
    loaded = _load()
    for name, profile in sorted(loaded.settings.profiles.items()):
        mark = "*" if name == loaded.settings.default_profile else " "
        print(f"{mark} {name}  {profile.base_url}  token {cfg.mask_token(profile.token)}")
    return 0


def _keys(args: argparse.Namespace) -> int:
    from tui.screens.keymap import bindings_by_place

    keymap = _load().settings.profile(getattr(args, "profile", None)).keymap
    for place, bindings in bindings_by_place().items():
        if not bindings:
            continue
        print(f"{place}:")
        for binding in bindings:
            keys = keymap.get(binding.id) or ",".join(binding.keys)
            print(f"  {binding.id:<28} {keys:<20} {binding.description}")
    return 0
