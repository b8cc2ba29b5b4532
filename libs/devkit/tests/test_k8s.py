"""The generated Kubernetes base matches the code, and the validator refuses what it must."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from tianmen_devkit.k8s import policies, render, validate
from tianmen_devkit.k8s.__main__ import stale_files
from tianmen_events.topics import ALL_TOPICS

BASE = Path(__file__).resolve().parents[3] / "deploy" / "k8s" / "base"


@pytest.fixture(scope="module")
def rendered() -> dict[str, str]:
    return render.files()


@pytest.fixture
def objects(rendered: dict[str, str]) -> list[dict[str, Any]]:
    texts = [text for path, text in rendered.items() if path.endswith(".yaml")]
    found = [o for text in texts for o in yaml.safe_load_all(text) if o and "kind" in o]
    return [o for o in found if o["kind"] != "Kustomization"]


def _first(objects: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    return next(o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)


def test_checked_in_base_is_what_the_code_generates(rendered: dict[str, str]) -> None:
    assert stale_files(BASE, rendered) == [], "run: python -m tianmen_devkit.k8s generate"


def test_kafka_topics_are_every_event_topic_and_each_consumers_dead_letters() -> None:
    declared = yaml.safe_load_all((BASE / "kafka" / "topics.yaml").read_text())
    names = {o["spec"]["topicName"]: o["spec"]["partitions"] for o in declared}
    expected = {t.name: t.partitions for t in ALL_TOPICS}
    expected |= {
        f"{consumer}.dlq": 3
        for consumer in ("registry", "telemetry", "safety", "credit", "reports")
    }
    assert names == expected


def test_roles_follow_each_services_composition(objects: list[dict[str, Any]]) -> None:
    deployments = {o["metadata"]["name"] for o in objects if o["kind"] == "Deployment"}
    assert {"registry-api", "registry-relay", "telemetry-worker", "gateway-api"} <= deployments
    assert "registry-worker" in deployments  # the registry applies safety's stop-use orders
    assert "gateway-worker" not in deployments and "gateway-relay" not in deployments
    assert (
        _first(objects, "HorizontalPodAutoscaler", "telemetry-worker")["spec"]["maxReplicas"] == 6
    )


def test_generated_objects_pass_every_check(objects: list[dict[str, Any]]) -> None:
    assert list(validate.schema_problems(objects)) == []
    assert list(validate.topic_problems(objects)) == []
    assert list(policies.problems(objects)) == []


def test_a_deployment_without_probes_or_limits_is_refused(objects: list[dict[str, Any]]) -> None:
    broken = copy.deepcopy(objects)
    main = _first(broken, "Deployment", "safety-worker")["spec"]["template"]["spec"]
    del main["containers"][0]["readinessProbe"]
    del main["initContainers"][0]["resources"]["limits"]
    assert list(policies.problems(broken)) == [
        "Deployment safety-worker: container worker lacks a liveness or readiness probe",
        "Deployment safety-worker: container wait-for-schema has no resource limits",
    ]


def test_a_deployment_only_blanket_policies_select_is_refused(
    objects: list[dict[str, Any]],
) -> None:
    broken = [
        o
        for o in objects
        if not (o["kind"] == "NetworkPolicy" and o["metadata"]["name"] == "reports")
    ]
    assert list(policies.problems(broken)) == [
        "Deployment reports-api: no NetworkPolicy of its own selects its pods",
        "Deployment reports-relay: no NetworkPolicy of its own selects its pods",
        "Deployment reports-worker: no NetworkPolicy of its own selects its pods",
    ]


def test_a_misspelt_custom_resource_field_is_refused(objects: list[dict[str, Any]]) -> None:
    broken = copy.deepcopy(objects)
    _first(broken, "KafkaNodePool", "dual-role")["spec"]["storage"]["volumes"][0]["sise"] = "1Gi"
    _first(broken, "Deployment", "credit-api")["spec"]["replica"] = 2
    problems = sorted(validate.schema_problems(broken))
    assert len(problems) == 2
    assert problems[0].startswith("Deployment credit-api:") and "'replica'" in problems[0]
    assert problems[1].startswith("KafkaNodePool dual-role:") and "'\"sise\"'" in problems[1]


def test_a_topic_missing_from_the_cluster_is_named(objects: list[dict[str, Any]]) -> None:
    remaining = [o for o in objects if o.get("spec", {}).get("topicName") != "telemetry.alert"]
    (problem,) = validate.topic_problems(remaining)
    assert "missing ['telemetry.alert']" in problem


def test_a_container_command_the_service_does_not_have_is_named() -> None:
    found: set[tuple[str, ...]] = {
        ("python", "-m", "tianmen_gateway", "api"),
        ("python", "-m", "tianmen_gateway", "worker"),  # the gateway consumes no subscription
    }
    (problem,) = validate.command_problems(found)
    assert "python -m tianmen_gateway worker --help fails" in problem
    assert "tianmen_gateway api" not in problem


def test_prometheus_operator_objects_meet_the_operators_own_crd_schema(
    objects: list[dict[str, Any]],
) -> None:
    broken = copy.deepcopy(objects)
    endpoint = _first(broken, "PodMonitor", "tianmen")["spec"]["podMetricsEndpoints"][0]
    endpoint["relabelings"][0]["action"] = "rename"  # not one of the CRD's relabel actions
    (problem,) = validate.schema_problems(broken)
    assert problem.startswith("PodMonitor tianmen:")
    assert "/relabelings/0/action must be equal to one of the allowed values" in problem


def test_strimzi_and_cloudnative_pg_objects_meet_their_crd_schemas(
    objects: list[dict[str, Any]],
) -> None:
    broken = copy.deepcopy(objects)
    _first(broken, "KafkaTopic", "telemetry-alert")["spec"]["partitions"] = "three"
    _first(broken, "Cluster", "credit-db")["spec"]["primaryUpdateStrategy"] = "whenever"
    _first(broken, "Kafka", "tianmen-kafka")["spec"]["kafka"]["listeners"][0]["tsl"] = True
    problems = sorted(validate.schema_problems(broken))
    assert len(problems) == 3, problems
    assert problems[0].startswith("Cluster credit-db: /spec/primaryUpdateStrategy must be equal")
    assert problems[1].startswith("Kafka tianmen-kafka:") and "'\"tsl\"'" in problems[1]
    assert problems[2] == "KafkaTopic telemetry-alert: /spec/partitions must be integer " + (
        '{"type":"integer"}'
    )


def test_the_jt808_server_is_reached_from_outside_on_its_port_and_drains_before_it_goes(
    objects: list[dict[str, Any]],
) -> None:
    service = _first(objects, "Service", "telemetry-jt808")["spec"]
    assert (service["type"], service["externalTrafficPolicy"]) == ("LoadBalancer", "Local")
    assert [p["port"] for p in service["ports"]] == [8808]
    policy = _first(objects, "NetworkPolicy", "telemetry-jt808")["spec"]
    admitted = [p["port"] for rule in policy["ingress"] for p in rule["ports"]]
    assert 8808 in admitted
    pod = _first(objects, "Deployment", "telemetry-jt808")["spec"]["template"]["spec"]
    [server] = pod["containers"]
    assert server["command"] == ["python", "-m", "tianmen_telemetry.jt808", "serve"]
    assert {server[p]["httpGet"]["port"] for p in ("livenessProbe", "readinessProbe")} == {"http"}
    env = {e["name"]: e.get("value") for e in server["env"]}
    assert env["JT808_METRICS_PORT"] == "8000" and env["JT808_PROCESSES"] == "2"
    assert pod["terminationGracePeriodSeconds"] > int(env["JT808_DRAIN_SECONDS"])
    scaler = _first(objects, "HorizontalPodAutoscaler", "telemetry-jt808")["spec"]
    assert scaler["minReplicas"] >= 3  # 8,000 terminals with one pod drained
    assert _first(objects, "PodDisruptionBudget", "telemetry-jt808")["spec"]["maxUnavailable"] == 1


OPERATIONS = Path(__file__).resolve().parents[3] / "docs" / "operations.md"


def test_every_alert_links_a_runbook_section_of_the_operations_guide(
    objects: list[dict[str, Any]],
) -> None:
    headings = {
        line.removeprefix("### ").strip()
        for line in OPERATIONS.read_text().splitlines()
        if line.startswith("### ")
    }
    rules = _first(objects, "PrometheusRule", "tianmen")["spec"]["groups"][0]["rules"]
    linked = {rule["annotations"]["runbook_url"].split("#")[1] for rule in rules}
    assert len(linked) == len(rules) and linked <= headings, sorted(linked - headings)


def test_refused_terminals_are_alerted_on_per_reason_from_the_servers_own_counter(
    objects: list[dict[str, Any]],
) -> None:
    from tianmen_telemetry.jt808.metrics import TERMINALS_REFUSED

    rules = _first(objects, "PrometheusRule", "tianmen")["spec"]["groups"][0]["rules"]
    [rule] = [r for r in rules if r["alert"] == "TianmenTerminalsRefused"]
    [family] = TERMINALS_REFUSED.describe()
    counted = f"{family.name}_total"  # what the server exports: the family name and _total
    assert rule["expr"] == f"sum by (reason) (increase({counted}[10m])) > 0"
    assert "reason" in TERMINALS_REFUSED._labelnames
    assert "{{ $labels.reason }}" in rule["annotations"]["summary"]
    assert rule["labels"] == {"severity": "warning"}


def test_track_retention_runs_nightly_as_telemetry_with_its_database_one_at_a_time(
    objects: list[dict[str, Any]],
) -> None:
    job = _first(objects, "CronJob", "telemetry-prune-tracks")["spec"]
    assert (job["schedule"], job["timeZone"]) == ("30 3 * * *", "Asia/Shanghai")
    assert job["concurrencyPolicy"] == "Forbid" and "suspend" not in job
    template = job["jobTemplate"]["spec"]["template"]
    [pruner] = template["spec"]["containers"]
    assert pruner["command"] == [
        "python", "-m", "tianmen_telemetry", "prune-tracks", "--keep-days", "90"
    ]  # fmt: skip
    assert "DATABASE_URL" in {e["name"] for e in pruner["env"]}
    # its pods are telemetry's, so telemetry's policy lets them reach telemetry's database
    service = template["metadata"]["labels"]["tianmen.io/service"]
    egress = _first(objects, "NetworkPolicy", service)["spec"]["egress"]
    assert {"cnpg.io/cluster": "telemetry-db"} in [
        peer["podSelector"]["matchLabels"] for rule in egress for peer in rule["to"]
    ]
    assert list(validate.command_problems({tuple(pruner["command"][:4])})) == []
