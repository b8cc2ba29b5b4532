"""Schemas of the custom resources the suite uses, for offline validation.

No package registry reachable here publishes the CRDs of Strimzi or CloudNativePG as files
(Strimzi's Maven `api` jar holds Java models only); the Prometheus Operator's kinds are also
checked against models generated from its CRDs (see `validate`). So these are written from
each project's documented API reference: required fields, types, enumerations and
patterns, closed (`additionalProperties: false`) where the suite sets fields, so a misspelt or
misplaced field fails as it would at `kubectl apply`. Versions: Strimzi 0.4x `v1beta2`,
CloudNativePG 1.2x `v1`, Prometheus Operator 0.8x `v1`.
"""

from __future__ import annotations

from typing import Any

STR: dict[str, Any] = {"type": "string"}
INT: dict[str, Any] = {"type": "integer"}
BOOL: dict[str, Any] = {"type": "boolean"}
MAP: dict[str, Any] = {"type": "object", "additionalProperties": {"type": "string"}}
ANY_OBJECT: dict[str, Any] = {"type": "object"}
QUANTITY: dict[str, Any] = {
    "type": "string",
    "pattern": r"^[0-9]+(\.[0-9]+)?(m|Ki|Mi|Gi|Ti|k|M|G|T)?$",
}
DURATION = {"type": "string", "pattern": r"^(0|([0-9]+(ms|s|m|h|d|w|y))+)$"}
RESOURCES = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        k: {"type": "object", "additionalProperties": QUANTITY} for k in ("requests", "limits")
    },
}
SECRET_KEY = {
    "type": "object",
    "required": ["name", "key"],
    "properties": {"name": STR, "key": STR},
}


def closed(required: list[str], **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "required": required,
        "additionalProperties": False,
        "properties": properties,
    }


def array(items: dict[str, Any], min_items: int = 0) -> dict[str, Any]:
    return {"type": "array", "items": items, "minItems": min_items}


def resource(api_version: str, kind: str, spec: dict[str, Any]) -> dict[str, Any]:
    name = {"type": "string", "pattern": r"^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$", "maxLength": 253}
    meta = {
        "type": "object",
        "required": ["name"],
        "properties": {"name": name, "labels": MAP, "annotations": MAP, "namespace": STR},
    }
    return closed(
        ["apiVersion", "kind", "metadata", "spec"],
        apiVersion={"const": api_version},
        kind={"const": kind},
        metadata=meta,
        spec=spec,
    )


LISTENER = closed(
    ["name", "port", "type", "tls"],
    name={"type": "string", "pattern": "^[a-z0-9]{1,11}$"},
    port={"type": "integer", "minimum": 9092},
    type={"enum": ["internal", "route", "loadbalancer", "nodeport", "ingress", "cluster-ip"]},
    tls=BOOL,
    networkPolicyPeers=array(ANY_OBJECT),
    authentication=ANY_OBJECT,
    configuration=ANY_OBJECT,
)
METRICS_CONFIG = closed(
    ["type", "valueFrom"],
    type={"enum": ["jmxPrometheusExporter"]},
    valueFrom=closed(["configMapKeyRef"], configMapKeyRef=SECRET_KEY),
)
KAFKA = closed(
    ["kafka"],
    kafka=closed(
        ["listeners"],
        version=STR,
        metadataVersion=STR,
        listeners=array(LISTENER, 1),
        config={
            "type": "object",
            "additionalProperties": {"type": ["string", "integer", "boolean", "number"]},
        },
        metricsConfig=METRICS_CONFIG,
        authorization=ANY_OBJECT,
        rack=ANY_OBJECT,
        template=ANY_OBJECT,
    ),
    entityOperator=closed(
        [], topicOperator=ANY_OBJECT, userOperator=ANY_OBJECT, template=ANY_OBJECT
    ),
    kafkaExporter=closed([], topicRegex=STR, groupRegex=STR, resources=RESOURCES),
    cruiseControl=ANY_OBJECT,
)
VOLUME = closed(
    ["id", "type"],
    id={"type": "integer", "minimum": 0},
    type={"enum": ["ephemeral", "persistent-claim"]},
    size=QUANTITY,
    deleteClaim=BOOL,
    kraftMetadata={"enum": ["shared"]},
    **{"class": STR},
)
NODE_POOL = closed(
    ["replicas", "roles", "storage"],
    replicas={"type": "integer", "minimum": 0},
    roles=array({"enum": ["controller", "broker"]}, 1),
    storage=closed(
        ["type"],
        type={"enum": ["ephemeral", "persistent-claim", "jbod"]},
        volumes=array(VOLUME, 1),
        size=QUANTITY,
    ),
    resources=RESOURCES,
    jvmOptions=ANY_OBJECT,
    template=ANY_OBJECT,
)
TOPIC = closed(
    [],
    topicName=STR,
    partitions={"type": "integer", "minimum": 1},
    replicas={"type": "integer", "minimum": 1, "maximum": 32767},
    config={
        "type": "object",
        "additionalProperties": {"type": ["string", "integer", "boolean", "number"]},
    },
)
BARMAN = closed(
    ["destinationPath"],
    destinationPath=STR,
    endpointURL=STR,
    s3Credentials=closed(
        ["accessKeyId", "secretAccessKey"], accessKeyId=SECRET_KEY, secretAccessKey=SECRET_KEY
    ),
    wal=closed(
        [], compression={"enum": ["gzip", "bzip2", "snappy", "lz4", "xz", "zstd"]}, maxParallel=INT
    ),
    data=ANY_OBJECT,
)
PG_CLUSTER = closed(
    ["instances"],
    instances={"type": "integer", "minimum": 1},
    imageName=STR,
    primaryUpdateStrategy={"enum": ["unsupervised", "supervised"]},
    bootstrap=closed(
        [], initdb=closed([], database=STR, owner=STR, secret=ANY_OBJECT), recovery=ANY_OBJECT
    ),
    storage=closed([], size=QUANTITY, storageClass=STR),
    resources=RESOURCES,
    monitoring=closed([], enablePodMonitor=BOOL),
    backup=closed(
        [],
        retentionPolicy={"type": "string", "pattern": "^[1-9][0-9]*[dwm]$"},
        barmanObjectStore=BARMAN,
    ),
    externalClusters=array(ANY_OBJECT),
    postgresql=ANY_OBJECT,
    affinity=ANY_OBJECT,
)
SCHEDULED_BACKUP = closed(
    ["schedule", "cluster"],
    schedule=STR,
    cluster=closed(["name"], name=STR),
    backupOwnerReference={"enum": ["none", "self", "cluster"]},
    immediate=BOOL,
)
RELABEL = closed(
    [],
    sourceLabels=array(STR),
    targetLabel=STR,
    action=STR,
    regex=STR,
    replacement=STR,
    separator=STR,
)
POD_MONITOR = closed(
    ["selector"],
    selector=closed([], matchLabels=MAP, matchExpressions=array(ANY_OBJECT)),
    podMetricsEndpoints=array(
        closed([], port=STR, path=STR, interval=DURATION, relabelings=array(RELABEL)), 1
    ),
    namespaceSelector=ANY_OBJECT,
)
RULE = {
    "type": "object",
    "required": ["expr"],
    "additionalProperties": False,
    "oneOf": [{"required": ["alert"]}, {"required": ["record"]}],
    "properties": {
        "alert": STR,
        "record": STR,
        "expr": {"type": ["string", "integer"]},
        "for": DURATION,
        "labels": MAP,
        "annotations": MAP,
    },
}
PROMETHEUS_RULE = closed(
    ["groups"],
    groups=array(closed(["name", "rules"], name=STR, interval=DURATION, rules=array(RULE, 1)), 1),
)

SCHEMAS: dict[tuple[str, str], dict[str, Any]] = {
    (api, kind): resource(api, kind, spec)
    for api, kind, spec in (
        ("kafka.strimzi.io/v1beta2", "Kafka", KAFKA),
        ("kafka.strimzi.io/v1beta2", "KafkaNodePool", NODE_POOL),
        ("kafka.strimzi.io/v1beta2", "KafkaTopic", TOPIC),
        ("postgresql.cnpg.io/v1", "Cluster", PG_CLUSTER),
        ("postgresql.cnpg.io/v1", "ScheduledBackup", SCHEDULED_BACKUP),
        ("monitoring.coreos.com/v1", "PodMonitor", POD_MONITOR),
        ("monitoring.coreos.com/v1", "PrometheusRule", PROMETHEUS_RULE),
    )
}
