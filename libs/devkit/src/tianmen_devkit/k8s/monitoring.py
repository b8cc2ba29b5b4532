"""Prometheus Operator objects (a PodMonitor for every suite pod, the alert rules) and a Grafana
dashboard. What each alert means and what to do: docs/operations.md, "Alerts"."""

from __future__ import annotations

from typing import Any

from tianmen_devkit.k8s.suite import PART_OF, ROLE_LABEL, SERVICE_LABEL

INGEST = 'tianmen_http_request_duration_seconds_count{service="telemetry",method="POST",route="/reports"}'
ALERTS: list[tuple[str, str, str, str, str]] = [
    # name, expression, for, severity, summary
    (
        "TianmenConsumerLagHigh",
        "max by (consumer, topic) (tianmen_consumer_lag) > 1000",
        "10m",
        "warning",
        "{{ $labels.consumer }} is {{ $value }} events behind on {{ $labels.topic }}",
    ),
    (
        "TianmenDeadLettersGrowing",
        'sum by (consumer) (increase(tianmen_events_processed_total{outcome="dead_lettered"}[15m])) > 0',
        "0m",
        "warning",
        "{{ $labels.consumer }} dead-lettered {{ $value }} events in 15 minutes",
    ),
    (
        "TianmenRelayBacklog",
        "max by (service) (tianmen_outbox_pending) > 500",
        "10m",
        "critical",
        "{{ $labels.service }} has {{ $value }} outbox events not yet published",
    ),
    (
        "TianmenApplicationsOverdue",
        "sum(tianmen_applications_overdue) > 0",
        "1h",
        "warning",
        "{{ $value }} applications are past their deadline",
    ),
    (
        "TianmenOpenCaseBacklog",
        "sum(tianmen_cases_open) > 200",
        "1d",
        "warning",
        "{{ $value }} enforcement cases are open",
    ),
    (
        "TianmenTerminalIngestStopped",
        f"(sum(rate({INGEST}[15m])) or vector(0)) == 0",
        "15m",
        "critical",
        "no terminal report has been ingested for 15 minutes",
    ),
    (
        "TianmenReportsHeldLong",
        "max by (consumer) (tianmen_held_oldest_seconds) > 300",
        "5m",
        "warning",
        "{{ $labels.consumer }} has held reports {{ $value }} s for the registry's word",
    ),
    (
        "TianmenTerminalsRefused",
        "sum by (reason) (increase(tianmen_jt808_terminals_refused_total[10m])) > 0",
        "0m",
        "warning",
        "{{ $value }} JT/T 808 registrations or authentications refused in 10 minutes "
        "({{ $labels.reason }})",
    ),
]


def pod_monitor() -> dict[str, Any]:
    keep = [
        {"sourceLabels": [f"__meta_kubernetes_pod_label_{name}"], "targetLabel": target}
        for name, target in (
            ("tianmen_io_service", "service"),
            ("app_kubernetes_io_component", "role"),
        )
    ]
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PodMonitor",
        "metadata": {"name": "tianmen", "labels": PART_OF},
        "spec": {
            "selector": {
                "matchExpressions": [
                    {"key": SERVICE_LABEL, "operator": "Exists"},
                    {
                        "key": ROLE_LABEL,
                        "operator": "In",
                        "values": ["api", "worker", "relay", "jt808"],
                    },
                ]
            },
            "podMetricsEndpoints": [  # http-1: a JT/T 808 pod's second process
                {"port": port, "path": "/metrics", "interval": "30s", "relabelings": keep}
                for port in ("http", "http-1")
            ],
        },
    }


def rules() -> dict[str, Any]:
    return {
        "apiVersion": "monitoring.coreos.com/v1",
        "kind": "PrometheusRule",
        "metadata": {"name": "tianmen", "labels": PART_OF},
        "spec": {
            "groups": [
                {
                    "name": "tianmen",
                    "rules": [
                        {
                            "alert": name,
                            "expr": expr,
                            "for": wait,
                            "labels": {"severity": severity},
                            "annotations": {
                                "summary": summary,
                                "runbook_url": f"docs/operations.md#{name.lower()}",
                            },
                        }
                        for name, expr, wait, severity, summary in ALERTS
                    ],
                }
            ]
        },
    }


PANELS = [
    ("Terminal reports ingested per second", f"sum(rate({INGEST}[5m]))"),
    ("Consumer lag", "max by (consumer, topic) (tianmen_consumer_lag)"),
    (
        "Dead letters per minute",
        'sum by (consumer) (rate(tianmen_events_processed_total{outcome="dead_lettered"}[5m])) * 60',
    ),
    ("Outbox backlog", "max by (service) (tianmen_outbox_pending)"),
    ("Events published per second", "sum by (topic) (rate(tianmen_events_published_total[5m]))"),
    (
        "Events applied per second",
        'sum by (consumer) (rate(tianmen_events_processed_total{outcome="applied"}[5m]))',
    ),
    (
        "HTTP p95 latency (s)",
        "histogram_quantile(0.95, sum by (service, le) (rate(tianmen_http_request_duration_seconds_bucket[5m])))",
    ),
    (
        "Alerts raised per minute by rule",
        "sum by (rule) (rate(tianmen_alerts_raised_total[5m])) * 60",
    ),
    ("Overdue applications", "sum(tianmen_applications_overdue)"),
    ("Open cases", "sum(tianmen_cases_open)"),
]


def dashboard() -> dict[str, Any]:
    panels = [
        {
            "id": n + 1,
            "type": "timeseries",
            "title": title,
            "datasource": {"type": "prometheus", "uid": "${datasource}"},
            "gridPos": {"h": 8, "w": 12, "x": (n % 2) * 12, "y": (n // 2) * 8},
            "targets": [{"refId": "A", "expr": expr}],
        }
        for n, (title, expr) in enumerate(PANELS)
    ]
    variable = {"name": "datasource", "type": "datasource", "query": "prometheus"}
    return {
        "uid": "tianmen-suite",
        "title": "Tianmen suite",
        "schemaVersion": 39,
        "time": {"from": "now-6h", "to": "now"},
        "templating": {"list": [variable]},
        "panels": panels,
    }
