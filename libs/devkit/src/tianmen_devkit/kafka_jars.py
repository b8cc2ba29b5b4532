"""Fetch the Kafka jars from Maven Central (via `mvn`) and build `java` command lines."""

from __future__ import annotations

import hashlib
import os
import shlex
import shutil
import subprocess
from collections.abc import Mapping, Sequence
from pathlib import Path

from tianmen_devkit.paths import kafka_cache_root, kafka_resource_dir

KAFKA_VERSION = "4.4.0"
BROKER_MAIN = "kafka.Kafka"
STORAGE_TOOL_MAIN = "kafka.tools.StorageTool"
CONSOLE_CONSUMER_MAIN = "org.apache.kafka.tools.consumer.ConsoleConsumer"
TOPIC_COMMAND_MAIN = "org.apache.kafka.tools.TopicCommand"
BROKER_LOG4J = "log4j2-broker.xml"
TOOLS_LOG4J = "log4j2-tools.xml"
BROKER_JVM_OPTS = ("-Xms64m", "-Xmx512m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError")
TOOL_JVM_OPTS = ("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1")
# Extra broker options from the environment, after the defaults (a later -XX wins). The tests set
# `-XX:TieredStopAtLevel=1` (root conftest.py): a test broker lives for seconds to minutes, and C2's
# compiles cost more CPU at its start than its faster code gives back (decision 121).
BROKER_JVM_OPTS_ENV = "TIANMEN_KAFKA_JVM_OPTS"
_MARKER = ".complete"
_FETCH_TIMEOUT_S = 900


class KafkaSetupError(RuntimeError):
    """Java, Maven or the jar fetch is not usable."""


def _pom() -> Path:
    return kafka_resource_dir() / "pom.xml"


def _fingerprint(version: str) -> str:
    return f"{version} {hashlib.sha256(_pom().read_bytes()).hexdigest()}"


def libs_dir(version: str = KAFKA_VERSION, cache_root: Path | None = None) -> Path:
    """`<cache>/<version>/libs`, filled or not."""
    return (cache_root or kafka_cache_root()) / version / "libs"


def jars_present(version: str = KAFKA_VERSION, cache_root: Path | None = None) -> bool:
    """True when the cache holds a complete fetch made from the current pom."""
    marker = libs_dir(version, cache_root) / _MARKER
    return marker.is_file() and marker.read_text(encoding="utf-8") == _fingerprint(version)


def _run_mvn(version: str, out: Path) -> None:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise KafkaSetupError("`mvn` not found on PATH: install Maven to fetch the Kafka jars")
    cmd = [
        mvn,
        "-q",
        "-B",
        "-Dstyle.color=never",
        "-f",
        str(_pom()),
        f"-Dkafka.version={version}",
        "dependency:copy-dependencies",
        f"-DoutputDirectory={out}",
    ]
    proc = subprocess.run(
        cmd, capture_output=True, text=True, timeout=_FETCH_TIMEOUT_S, check=False
    )
    if proc.returncode != 0:
        tail = (proc.stdout + proc.stderr)[-4000:]
        raise KafkaSetupError(f"fetching Kafka {version} jars failed ({proc.returncode}):\n{tail}")


def ensure_jars(version: str = KAFKA_VERSION, cache_root: Path | None = None) -> Path:
    """Fetch the jars into the cache unless already there; return the libs dir."""
    libs = libs_dir(version, cache_root)
    if jars_present(version, cache_root):
        return libs
    libs.parent.mkdir(parents=True, exist_ok=True)
    partial = libs.parent / f"libs.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    _run_mvn(version, partial)
    (partial / _MARKER).write_text(_fingerprint(version), encoding="utf-8")
    if jars_present(version, cache_root):  # another process won the race
        shutil.rmtree(partial, ignore_errors=True)
        return libs
    shutil.rmtree(libs, ignore_errors=True)
    try:
        partial.rename(libs)
    except OSError:
        shutil.rmtree(partial, ignore_errors=True)
        if not jars_present(version, cache_root):
            raise
    return libs


def broker_jvm_opts(environ: Mapping[str, str] = os.environ) -> tuple[str, ...]:
    """The broker's JVM options: the defaults, then `$TIANMEN_KAFKA_JVM_OPTS` split as a shell would."""
    extra = environ.get(BROKER_JVM_OPTS_ENV, "")
    return BROKER_JVM_OPTS + tuple(shlex.split(extra))


def java_executable() -> str:
    """`$JAVA_HOME/bin/java` if set, else `java` on PATH."""
    java_home = os.environ.get("JAVA_HOME")
    candidates = [str(Path(java_home) / "bin" / "java")] if java_home else []
    candidates.append(shutil.which("java") or "")
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise KafkaSetupError("`java` (17 or newer) not found: install a JDK or set JAVA_HOME")


def java_command(
    libs: Path,
    main: str,
    args: Sequence[str],
    *,
    log4j: str,
    jvm_opts: Sequence[str] = TOOL_JVM_OPTS,
    sysprops: Mapping[str, str] | None = None,
) -> list[str]:
    """`java <opts> -cp '<libs>/*' <main> <args>` with a log4j2 config from libs/devkit/kafka."""
    props = {
        "log4j2.configurationFile": str(kafka_resource_dir() / log4j),
        "java.awt.headless": "true",
        **(sysprops or {}),
    }
    return [
        java_executable(),
        *jvm_opts,
        *(f"-D{k}={v}" for k, v in props.items()),
        "-cp",
        str(libs / "*"),
        main,
        *args,
    ]
