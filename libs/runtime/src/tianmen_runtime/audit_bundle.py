"""Audit bundles: JSON lines an outside auditor can check offline. Line 1 is the header (what
the bundle is about, model and rule versions), then one line per entry, then the trailer (the
answer the bundle claims, closing the chain as its `head`). Each line carries
`sha256(previous hash + canonical JSON of its body)`; every line must be canonical JSON, so
changing, adding or dropping any byte or line of the file makes `read_bundle` fail."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GENESIS = "0" * 64
Body = dict[str, Any]


class BundleError(ValueError):
    """The bundle does not verify: the message says at which line and why."""


@dataclass(frozen=True)
class Bundle:
    header: Body
    entries: tuple[Body, ...]
    trailer: Body


def canonical(body: Any) -> str:
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def _link(previous: str, body: Body) -> str:
    return hashlib.sha256((previous + canonical(body)).encode()).hexdigest()


def write_bundle(header: Body, entries: Sequence[Body], trailer: Body) -> bytes:
    lines, head = [], GENESIS
    for kind, body in [("header", header), *(("entry", e) for e in entries)]:
        head = _link(head, body)
        lines.append(canonical({"kind": kind, "body": body, "hash": head}))
    lines.append(canonical({"kind": "trailer", "body": trailer, "head": _link(head, trailer)}))
    return ("\n".join(lines) + "\n").encode()


def read_bundle(data: bytes) -> Bundle:
    """The bundle's parts, once every line and link checks out; else `BundleError`."""
    try:
        text = data.decode()
    except UnicodeDecodeError as exc:
        raise BundleError(f"not UTF-8: {exc}") from None
    if not text.endswith("\n"):
        raise BundleError("truncated: no final newline")
    lines = text[:-1].split("\n")
    if len(lines) < 2:
        raise BundleError("a bundle has a header and a trailer at least")
    parsed = [_line(n, line, n == len(lines)) for n, line in enumerate(lines, start=1)]
    head = GENESIS
    for n, item in enumerate(parsed[:-1], start=1):
        head = _link(head, item["body"])
        if item["hash"] != head or item["kind"] != ("header" if n == 1 else "entry"):
            raise BundleError(f"line {n}: the hash chain breaks here")
    last = parsed[-1]
    if last["kind"] != "trailer" or last["head"] != _link(head, last["body"]):
        raise BundleError(f"line {len(parsed)}: the trailer does not close the chain")
    return Bundle(parsed[0]["body"], tuple(p["body"] for p in parsed[1:-1]), last["body"])


def _line(n: int, line: str, last: bool) -> Body:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise BundleError(f"line {n}: not JSON ({exc.msg})") from None
    if not isinstance(item, dict) or canonical(item) != line:
        raise BundleError(f"line {n}: not the canonical form of its content")
    keys = {"kind", "body", "head" if last else "hash"}
    if set(item) != keys or not isinstance(item["body"], dict):
        raise BundleError(f"line {n}: expected exactly {sorted(keys)}")
    return item
