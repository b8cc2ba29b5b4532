"""python -m tianmen_credit what-if|as-of|bundle|verify|diverge — the auditor's commands.

`verify` needs only the bundle file; the others read the log (KAFKA_BOOTSTRAP_SERVERS) from
the beginning into memory and never touch live state.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from tianmen_runtime.audit_bundle import BundleError
from tianmen_runtime.log_reader import Logged

from tianmen_credit.adapters.models import current_model, model_from_file
from tianmen_credit.audit import answers
from tianmen_credit.audit.bundle import export_bundle, verify_bundle
from tianmen_credit.audit.history import read_history
from tianmen_credit.audit.views import canonical_view
from tianmen_credit.config import get_settings

HELP = {
    "what-if": "who would change grade under a candidate model",
    "as-of": "an enterprise's standing as known at a past moment",
    "bundle": "export an enterprise's audit bundle for a period",
    "verify": "verify and replay a bundle offline",
    "diverge": "the first fact where two rebuilds differ",
}
COMMANDS = tuple(HELP)


def main(argv: Sequence[str]) -> int:
    args = _parser().parse_args(argv)
    if args.command == "verify":
        return _verify(args.file)
    history = read_history(args.bootstrap_servers or get_settings().kafka_bootstrap_servers)
    if args.command == "what-if":
        model = model_from_file(args.model)
        _print(answers.what_if_answer(history, current_model(), model, args.at))
    elif args.command == "as-of":
        _print(
            answers.as_of_answer(history, current_model(), args.enterprise, args.at, args.known_at)
        )
    elif args.command == "bundle":
        args.out.write_bytes(
            export_bundle(history, args.enterprise, args.start, args.end, current_model())
        )
        print(f"wrote {args.out}")
    else:
        return _diverge(history, args.model)
    return 0


def _verify(path: Path) -> int:
    try:
        verified = verify_bundle(path.read_bytes())
    except BundleError as exc:
        print(f"NOT VERIFIED: {exc}", file=sys.stderr)
        return 1
    end = verified.claim["standing_at_end"]
    print(
        f"verified: {verified.events} events replayed; {verified.enterprise_id} "
        f"{end['score']} {end['grade']} at {end['at']} under {end['model_version']}"
    )
    return 0


def _diverge(history: list[Logged], models: list[Path] | None) -> int:
    left, right = [model_from_file(p) for p in models or []] or [current_model()] * 2
    count, found = answers.divergence(history, left, right)
    if found is None:
        print(f"the two rebuilds agree over {count} facts")
        return 0
    print(f"first divergence at fact {found.position}: {found.left} vs {found.right}")
    return 1


def _print(view: dict[str, Any]) -> None:
    print(canonical_view(view))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tianmen_credit")
    parser.add_argument("--bootstrap-servers", help="default: KAFKA_BOOTSTRAP_SERVERS")
    sub = parser.add_subparsers(dest="command", required=True)
    when = datetime.fromisoformat
    what = sub.add_parser("what-if", help=HELP["what-if"])
    what.add_argument("--model", type=Path, required=True)
    what.add_argument("--at", type=when, help="default: the latest event time in the log")
    asof = sub.add_parser("as-of", help=HELP["as-of"])
    asof.add_argument("--enterprise", required=True)
    asof.add_argument("--at", type=when, required=True, help="the moment (event time)")
    asof.add_argument("--known-at", type=when, help="what was recorded by then (default: --at)")
    bundle = sub.add_parser("bundle", help=HELP["bundle"])
    bundle.add_argument("--enterprise", required=True)
    bundle.add_argument("--from", dest="start", type=when, required=True)
    bundle.add_argument("--to", dest="end", type=when, required=True)
    bundle.add_argument("--out", type=Path, required=True)
    verify = sub.add_parser("verify", help=HELP["verify"])
    verify.add_argument("file", type=Path)
    diverge = sub.add_parser("diverge", help=HELP["diverge"])
    diverge.add_argument(
        "--model", type=Path, action="append", help="two models (default: current twice)"
    )
    return parser
