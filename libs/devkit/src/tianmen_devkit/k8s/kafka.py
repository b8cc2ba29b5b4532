"""Kafka through Strimzi: a KRaft cluster, its node pool, and one KafkaTopic per topic.

The topic set is `tianmen_events.topics` plus the dead-letter topic of every consumer, with the
partitions and configuration declared there; replicas and min.insync come from the cluster.
"""

from __future__ import annotations

from typing import Any

from tianmen_events.topics import ALL_TOPICS, Topic, dead_letter

from tianmen_devkit.k8s.suite import KAFKA_CLUSTER, PART_OF

STRIMZI = "kafka.strimzi.io/v1beta2"
CLUSTER_LABEL = {"strimzi.io/cluster": KAFKA_CLUSTER}


def all_topics(consumers: list[str]) -> list[Topic]:
    return [*ALL_TOPICS, *(dead_letter(name) for name in sorted(consumers))]


def kafka_topic(topic: Topic) -> dict[str, Any]:
    return {
        "apiVersion": STRIMZI,
        "kind": "KafkaTopic",
        "metadata": {
            "name": topic.name.replace(".", "-").replace("_", "-"),
            "labels": {**PART_OF, **CLUSTER_LABEL},
        },
        "spec": {
            "topicName": topic.name,
            "partitions": topic.partitions,
            "replicas": 3,
            "config": {**topic.config, "min.insync.replicas": "2"},
        },
    }


def topics(consumers: list[str]) -> list[dict[str, Any]]:
    return [kafka_topic(topic) for topic in all_topics(consumers)]


def node_pool() -> dict[str, Any]:
    return {
        "apiVersion": STRIMZI,
        "kind": "KafkaNodePool",
        "metadata": {"name": "dual-role", "labels": {**PART_OF, **CLUSTER_LABEL}},
        "spec": {
            "replicas": 3,
            "roles": ["controller", "broker"],
            "storage": {
                "type": "jbod",
                "volumes": [
                    {
                        "id": 0,
                        "type": "persistent-claim",
                        "size": "100Gi",
                        "deleteClaim": False,
                        "kraftMetadata": "shared",
                    }
                ],
            },
            "resources": {
                "requests": {"cpu": "500m", "memory": "2Gi"},
                "limits": {"cpu": "2", "memory": "2Gi"},
            },
        },
    }


def cluster() -> dict[str, Any]:
    clients = {"podSelector": {"matchLabels": PART_OF}}
    return {
        "apiVersion": STRIMZI,
        "kind": "Kafka",
        "metadata": {
            "name": KAFKA_CLUSTER,
            "labels": PART_OF,
            "annotations": {"strimzi.io/node-pools": "enabled", "strimzi.io/kraft": "enabled"},
        },
        "spec": {
            "kafka": {
                "listeners": [
                    {
                        "name": "plain",
                        "port": 9092,
                        "type": "internal",
                        "tls": False,
                        "networkPolicyPeers": [clients],
                    }
                ],
                "config": {
                    "default.replication.factor": 3,
                    "min.insync.replicas": 2,
                    "offsets.topic.replication.factor": 3,
                    "transaction.state.log.replication.factor": 3,
                    "transaction.state.log.min.isr": 2,
                    "auto.create.topics.enable": False,
                },
                "metricsConfig": {
                    "type": "jmxPrometheusExporter",
                    "valueFrom": {
                        "configMapKeyRef": {
                            "name": "kafka-metrics",
                            "key": "kafka-metrics-config.yml",
                        }
                    },
                },
            },
            "entityOperator": {"topicOperator": {}, "userOperator": {}},
            "kafkaExporter": {"topicRegex": ".*", "groupRegex": ".*"},
        },
    }
