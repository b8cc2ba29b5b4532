"""Tables of the reports service (the runtime adds the event store and outbox).

`reporter_contacts` is the only place a reporter's contact lives: never in an event, never in
the outbox, never in a log line. Access to it is for the staff who must contact the reporter.
"""

from __future__ import annotations

from sqlalchemy import Column, MetaData, String, Table

metadata = MetaData()

reporter_contacts = Table(
    "reporter_contacts",
    metadata,
    Column("tip_id", String(36), primary_key=True),
    Column("name", String(50)),
    Column("phone", String(11)),
    Column("recorded_at", String(40), nullable=False),
)
