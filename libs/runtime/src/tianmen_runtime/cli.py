"""The command line every service shares: ``python -m tianmen_<name> <command>``.

`serve` runs the HTTP API, the outbox relay and the consumer in one process (what `make run`
starts); `api`, `relay` and `worker` run one part each, for scaling them apart on Kubernetes.
A service that derives state from events also has `replay` and `redrive` (apply its dead
letters again once their cause is fixed); every service has `digest`, and every service with
tables `migrate` (Alembic: the schema to its newest revision). A service adds commands of its
own (`Command`: telemetry's `prune-tracks`, credit's auditor commands) through `main_with`, which
lists them in `--help` beside these and runs them without building the service.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from tianmen_runtime import logs, process, schema
from tianmen_runtime.db import make_engine
from tianmen_runtime.service import Service


@dataclass(frozen=True)
class Command:
    """A service's own command: its name, its one-line help, and what runs it (its arguments
    in, an exit status out). It parses its own arguments (`<command> --help` shows them)."""

    name: str
    help: str
    run: Callable[[Sequence[str]], int]


def main_with(
    build: Callable[[], Service], commands: Sequence[Command], argv: Sequence[str] | None = None
) -> None:
    """A service's own `commands` first (run without building the service: an auditor's
    offline `verify` needs no broker), then the shared ones; `--help` lists both."""
    args = list(sys.argv[1:] if argv is None else argv)
    own = {command.name: command for command in commands}
    if args and args[0] in own:
        raise SystemExit(own[args[0]].run(args[1:]))
    main(build(), args, commands)


def main(
    service: Service, argv: Sequence[str] | None = None, commands: Sequence[Command] = ()
) -> None:
    args = _parser(service, commands).parse_args(argv)
    logs.configure(service.name, service.settings.log_level)
    if args.command == "digest":
        print(service.digest())
    elif args.command == "migrate":
        _migrate(service, check_only=args.check)
    elif args.command == "replay":
        _replay(service, args.database_url, args.as_of)
    elif args.command == "redrive":
        _redrive(service)
    else:
        parts = ("api", "relay", "worker") if args.command == "serve" else (args.command,)
        process.run(service, parts)


def _parser(service: Service, commands: Sequence[Command] = ()) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=f"python -m tianmen_{service.name}")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("serve", help="the HTTP API, the outbox relay and the consumer")
    sub.add_parser("api", help="the HTTP API only")
    if service.produces:
        sub.add_parser("relay", help="publish the outbox only")
    sub.add_parser("digest", help="print the digest of the live store")
    if schema.has_migrations(service.name):
        migrate = sub.add_parser("migrate", help="bring the store's schema to its newest revision")
        migrate.add_argument(
            "--check", action="store_true", help="only check; exit 1 unless at the newest revision"
        )
    if service.subscription is not None:
        sub.add_parser("worker", help="the consumer only")
        replay = sub.add_parser("replay", help="rebuild state from offset 0 into a fresh store")
        replay.add_argument("--database-url", help="fresh store (default: a temporary SQLite)")
        replay.add_argument(
            "--as-of", type=datetime.fromisoformat, help="leave out events that happened later"
        )
        sub.add_parser("redrive", help="apply the dead letters again, once their cause is fixed")
    for command in commands:  # run by `main_with` before parsing: listed here for --help only
        sub.add_parser(command.name, help=command.help, add_help=False)
    return parser


def _migrate(service: Service, check_only: bool) -> None:
    engine = make_engine(service.settings.database_url, create_tables=False)
    if check_only:
        if not schema.is_current(engine, service.name, service.metadata):
            raise SystemExit(f"{service.name}: schema not at its newest revision; run migrate")
    else:
        schema.upgrade(engine, service.name, service.metadata)
    print(f"{service.name}: schema at its newest revision")


def _replay(service: Service, database_url: str | None, as_of: datetime | None) -> None:
    """Into `database_url`, kept for inspection; else into a scratch store removed afterwards
    (it is a full copy of the state, personal data included)."""
    if database_url is not None:
        _report_replay(service, database_url, as_of, database_url)
        return
    with tempfile.TemporaryDirectory(prefix=f"tianmen-{service.name}-replay-") as folder:
        scratch = f"sqlite:///{Path(folder) / 'replay.db'}"
        _report_replay(service, scratch, as_of, "a scratch store (removed)")


def _report_replay(
    service: Service, database_url: str, as_of: datetime | None, described: str
) -> None:
    digest, outcomes = service.replay_into(database_url, as_of)
    print(f"replayed into {described}")
    print("events: " + ", ".join(f"{k}={v}" for k, v in sorted(outcomes.items())))
    print(f"digest: {digest}")


def _redrive(service: Service) -> None:
    result = service.redrive()
    service.producer.close()
    total = sum(result.outcomes.values())
    counts = ", ".join(f"{k}={v}" for k, v in sorted(result.outcomes.items())) or "none pending"
    print(f"redrove {total} dead letters of {service.name}: {counts}")
