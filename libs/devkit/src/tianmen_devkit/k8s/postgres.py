"""PostgreSQL through CloudNativePG: one `Cluster` per service that has tables (docs/decisions.md).

Each cluster bootstraps one database and owner named after the service; CloudNativePG keeps the
generated credentials in the secret ``<service>-db-app``. Backups go to the object store named
by the ``tianmen-backup`` secret and ConfigMap (set per overlay), WAL archived continuously.
"""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.suite import PART_OF, ROLE_LABEL, ServiceSpec

# No tianmen.io/service label: that one marks the service's own pods, which policies let in.
LABELS = {**PART_OF, ROLE_LABEL: "database"}


def cluster(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "Cluster",
        "metadata": {"name": spec.database, "labels": LABELS},
        "spec": {
            "instances": 2,
            "imageName": "ghcr.io/cloudnative-pg/postgresql:17",
            "primaryUpdateStrategy": "unsupervised",
            "bootstrap": {"initdb": {"database": spec.name, "owner": spec.name}},
            "storage": {"size": "20Gi"},
            "resources": {
                "requests": {"cpu": "250m", "memory": "512Mi"},
                "limits": {"cpu": "2", "memory": "1Gi"},
            },
            "monitoring": {"enablePodMonitor": True},
            "backup": {
                "retentionPolicy": "30d",
                "barmanObjectStore": {
                    "destinationPath": f"s3://tianmen-backups/{spec.name}",
                    "s3Credentials": {
                        "accessKeyId": {"name": "tianmen-backup", "key": "ACCESS_KEY_ID"},
                        "secretAccessKey": {"name": "tianmen-backup", "key": "SECRET_ACCESS_KEY"},
                    },
                    "wal": {"compression": "gzip"},
                },
            },
        },
    }


def scheduled_backup(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "postgresql.cnpg.io/v1",
        "kind": "ScheduledBackup",
        "metadata": {"name": f"{spec.database}-nightly", "labels": LABELS},
        "spec": {
            "schedule": "0 0 2 * * *",
            "cluster": {"name": spec.database},
            "backupOwnerReference": "self",
        },
    }
