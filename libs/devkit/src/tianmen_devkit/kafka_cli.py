"""`python -m tianmen_devkit.kafka`: fetch jars, run a broker, console consumer, topics."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from types import FrameType

from tianmen_devkit.kafka import KafkaStartError, LocalKafka
from tianmen_devkit.kafka_jars import (
    CONSOLE_CONSUMER_MAIN,
    KAFKA_VERSION,
    TOOLS_LOG4J,
    TOPIC_COMMAND_MAIN,
    KafkaSetupError,
    ensure_jars,
    java_command,
)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m tianmen_devkit.kafka", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("fetch", help="download the Kafka jars into the cache (if missing)")
    start = sub.add_parser("start", help="run a broker in the foreground until SIGINT/SIGTERM")
    start.add_argument("--data-dir", type=Path, default=Path("var/kafka"))
    start.add_argument("--port", type=int, default=9092, help="PLAINTEXT port (0: any free)")
    start.add_argument("--controller-port", type=int, default=0, help="0: any free port")
    start.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for ready")
    cons = sub.add_parser("console-consumer", help="Kafka's ConsoleConsumer, showing headers")
    cons.add_argument("--bootstrap-server", required=True)
    cons.add_argument("--topic", required=True)
    cons.add_argument("--from-beginning", action="store_true")
    cons.add_argument("--max-messages", type=int)
    cons.add_argument("--timeout-ms", type=int, help="exit after this long without a message")
    cons.add_argument("--group")
    topics = sub.add_parser(
        "topics",
        help="Kafka's TopicCommand; other options pass through",
        epilog="e.g. topics --bootstrap-server H:P --list",
    )
    topics.add_argument("--bootstrap-server", required=True)
    return parser


def _raise_interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _start(args: argparse.Namespace) -> int:
    kafka = LocalKafka(args.data_dir, args.port or None, args.controller_port or None)
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_interrupt)
    try:
        began = time.monotonic()
        kafka.start()
        kafka.wait_ready(args.timeout)
        print(kafka.bootstrap_servers, flush=True)
        print(
            f"kafka {kafka.version} ready in {time.monotonic() - began:.1f}s; data and logs "
            f"in {kafka.data_dir}; Ctrl-C stops it",
            file=sys.stderr,
            flush=True,
        )
        code = kafka.wait()
        print(f"broker exited with {code}\n{kafka.log_tail()}", file=sys.stderr)
        return code or 1
    except KeyboardInterrupt:
        return 0
    finally:
        for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(signum, signal.SIG_IGN)  # a second Ctrl-C must not orphan the JVM
        kafka.stop()


def consumer_args(args: argparse.Namespace) -> list[str]:
    """ConsoleConsumer arguments that print headers and keys before each value."""
    out = [
        "--bootstrap-server",
        args.bootstrap_server,
        "--topic",
        args.topic,
        "--formatter-property",
        "print.headers=true",
        "--formatter-property",
        "print.key=true",
    ]
    if args.from_beginning:
        out.append("--from-beginning")
    for flag, value in (
        ("--max-messages", args.max_messages),
        ("--timeout-ms", args.timeout_ms),
        ("--group", args.group),
    ):
        if value is not None:
            out += [flag, str(value)]
    return out


def _run_tool(main: str, tool_args: list[str]) -> int:
    proc = subprocess.Popen(java_command(ensure_jars(), main, tool_args, log4j=TOOLS_LOG4J))
    try:
        return proc.wait()
    except KeyboardInterrupt:  # the JVM got the same SIGINT: let it finish
        return proc.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the process exit code."""
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "topics":
        parser.error(f"unrecognized arguments: {' '.join(extra)}")
    try:
        if args.command == "fetch":
            began = time.monotonic()
            libs = ensure_jars()
            print(f"kafka {KAFKA_VERSION} jars in {libs} ({time.monotonic() - began:.1f}s)")
            return 0
        if args.command == "start":
            return _start(args)
        if args.command == "console-consumer":
            return _run_tool(CONSOLE_CONSUMER_MAIN, consumer_args(args))
        return _run_tool(TOPIC_COMMAND_MAIN, ["--bootstrap-server", args.bootstrap_server, *extra])
    except (KafkaSetupError, KafkaStartError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
