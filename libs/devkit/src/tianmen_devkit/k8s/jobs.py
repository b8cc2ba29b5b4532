"""Jobs: each service's schema migration, the auditor's replay of safety and credit, and
telemetry's track retention.

The migration Job runs ``migrate`` (Alembic to every head); the new pods' init container waits
with ``migrate --check`` until it is done. The audit replay is a suspended CronJob, started on
demand with ``kubectl create job --from=cronjob/audit-replay audit-<date>``: it rebuilds safety
and credit from offset 0 into scratch SQLite stores on an emptyDir and logs both digests.
The track retention runs nightly: ``prune-tracks`` drops the day partitions older than 90 days
on PostgreSQL and makes the next week's (decision 112), or deletes in bounded batches on SQLite
(a rerun deletes nothing, so a retried or overlapping run is harmless).
"""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.containers import SMALL, container, pod_spec
from tianmen_devkit.k8s.suite import ServiceSpec, labels, metadata

AUDITED = ("safety", "credit")
REPLAY_RESOURCES = {
    "requests": {"cpu": "250m", "memory": "256Mi"},
    "limits": {"cpu": "1", "memory": "1Gi"},
}


def migration(spec: ServiceSpec) -> dict[str, Any]:
    return {
        "apiVersion": "batch/v1",
        "kind": "Job",
        "metadata": metadata(f"{spec.name}-migrate", spec.name, "migrate"),
        "spec": {
            "backoffLimit": 10,  # the database may still be starting on a first install
            "ttlSecondsAfterFinished": 600,  # gone before the next upgrade applies it again
            "template": {
                "metadata": {"labels": labels(spec.name, "migrate")},
                "spec": pod_spec(
                    [container(spec, "migrate", ["migrate"], SMALL)], restartPolicy="OnFailure"
                ),
            },
        },
    }


def _replayer(spec: ServiceSpec) -> dict[str, Any]:
    scratch = f"sqlite:////scratch/{spec.name}.db"
    made = container(spec, spec.name, ["replay", "--database-url", scratch], REPLAY_RESOURCES)
    made["env"] = [{"name": "SERVICE_NAME", "value": spec.name}]  # no live database: scratch only
    made["volumeMounts"] = [*made["volumeMounts"], {"name": "scratch", "mountPath": "/scratch"}]
    return made


def audit_replay(specs: list[ServiceSpec]) -> dict[str, Any]:
    replayers = [_replayer(spec) for spec in specs if spec.name in AUDITED]
    pod = pod_spec(replayers, restartPolicy="Never")
    pod["volumes"].append({"name": "scratch", "emptyDir": {"sizeLimit": "10Gi"}})
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": metadata("audit-replay", "audit", "replay"),
        "spec": {
            "suspend": True,  # never on a schedule: an auditor starts it (see docs/operations.md)
            "schedule": "0 3 1 1 *",
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 0,
                    "template": {"metadata": {"labels": labels("audit", "replay")}, "spec": pod},
                }
            },
        },
    }


TRACK_RETENTION_DAYS = 90  # issue 8: 90 days of every machine's track


def track_retention(spec: ServiceSpec) -> dict[str, Any]:
    args = ["prune-tracks", "--keep-days", str(TRACK_RETENTION_DAYS)]
    pruner = container(spec, "prune-tracks", args, SMALL)
    return {
        "apiVersion": "batch/v1",
        "kind": "CronJob",
        "metadata": metadata(f"{spec.name}-prune-tracks", spec.name, "retention"),
        "spec": {
            "schedule": "30 3 * * *",  # nightly, Asia/Shanghai: the fewest machines at work
            "timeZone": "Asia/Shanghai",
            "concurrencyPolicy": "Forbid",  # one run at a time; the next picks up the rest
            "startingDeadlineSeconds": 3600,
            "successfulJobsHistoryLimit": 3,
            "failedJobsHistoryLimit": 3,
            "jobTemplate": {
                "spec": {
                    "backoffLimit": 2,
                    "activeDeadlineSeconds": 6 * 3600,
                    "template": {
                        "metadata": {"labels": labels(spec.name, "retention")},
                        "spec": pod_spec([pruner], restartPolicy="Never"),
                    },
                }
            },
        },
    }
