"""Consumer lag kept in the service's store: workers write what they measure per partition, an
API process (which may run no consumer) reads the total and the oldest measurement."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy import Engine, delete, func, insert, select

from tianmen_runtime.db import WRITE_INTENT, consumer_lag

Partition = tuple[str, int]


def write(
    engine: Engine, consumer: str, lags: Mapping[Partition, int], measured_at: datetime
) -> None:
    """Replace the rows of the partitions measured (a partition that moved to another worker is
    overwritten by its new owner's next measurement)."""
    at = measured_at.isoformat(timespec="seconds")
    rows = [
        {"consumer": consumer, "topic": t, "partition": p, "lag": lag, "measured_at": at}
        for (t, p), lag in lags.items()
    ]
    with engine.connect() as conn:
        conn.execution_options(**WRITE_INTENT)
        with conn.begin():
            for row in rows:
                conn.execute(
                    delete(consumer_lag).where(
                        consumer_lag.c.consumer == consumer,
                        consumer_lag.c.topic == row["topic"],
                        consumer_lag.c.partition == row["partition"],
                    )
                )
            if rows:
                conn.execute(insert(consumer_lag), rows)


def read(engine: Engine, consumer: str) -> tuple[int, datetime] | None:
    """The consumer's total lag and its oldest measurement; None if no worker measured yet."""
    query = select(func.sum(consumer_lag.c.lag), func.min(consumer_lag.c.measured_at)).where(
        consumer_lag.c.consumer == consumer
    )
    with engine.connect() as conn:
        total, oldest = conn.execute(query).one()
    if oldest is None:
        return None
    return int(total), datetime.fromisoformat(oldest)
