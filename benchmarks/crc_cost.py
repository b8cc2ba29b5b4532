"""CPU per record of kafka-python's CRC32C, no broker: the pure-Python fallback against the C
`crc32c` package, on the record batches our producers write (lz4, as `make_producer` sets it).

A batch of bench-telemetry's reports (their envelopes, keys and headers) is built as the relay's
producer builds it (`DefaultRecordBatchBuilder.build`, which computes the CRC) and checked as a
consumer checks a fetched batch (`check_crcs=True`: `validate_crc`). Prints, per record, the
producer's build and the consumer's check with each implementation, and the CRC alone, beside
the record's decode (the raw baseline's work). Both implementations are timed in the same run,
in turns, min and median of `--rounds`.

    .venv/bin/python benchmarks/crc_cost.py [--records 200 --rounds 9]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from functools import partial

import kafka.record.default_records as default_records
from bench_consumer import report_of
from kafka.record.util import crc32c_c, crc32c_py
from tianmen_events import EventMeta, decode, encode

CODEC_LZ4 = 3


def messages(count: int) -> list[tuple[bytes, bytes, list[tuple[str, bytes]]]]:
    out = []
    for i in range(count):
        report = report_of(i, 2_000)
        meta = EventMeta(
            id=report.report_id,
            source="/bench",
            time=report.reported_at,
            subject=report.subject_id(),
            sequence=1,
            correlation_id=report.report_id,
        )
        message = encode(report, meta)
        out.append((message.key, message.value, message.headers))
    return out


def build(batch: list[tuple[bytes, bytes, list[tuple[str, bytes]]]]) -> bytearray:
    builder = default_records.DefaultRecordBatchBuilder(
        magic=2,
        compression_type=CODEC_LZ4,
        is_transactional=False,
        producer_id=1,
        producer_epoch=0,
        base_sequence=0,
        batch_size=1 << 24,
    )
    for offset, (key, value, headers) in enumerate(batch):
        builder.append(offset, timestamp=None, key=key, value=value, headers=headers)
    return bytearray(builder.build())


def use(crc: Callable[[memoryview], int]) -> None:
    default_records.calc_crc32c = lambda view: crc(view)


def timed(work: Callable[[], object], records: int, repeat: int) -> float:
    cpu = time.process_time()
    for _ in range(repeat):
        work()
    return (time.process_time() - cpu) / repeat / records * 1e6


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=200, help="records a batch")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    if crc32c_c is None:
        raise SystemExit("the crc32c package is not installed: nothing to compare with")
    batch = messages(args.records)
    buffer = bytes(build(batch))
    size = len(buffer)
    fetched = default_records.DefaultRecordBatch(buffer)
    region = memoryview(buffer)[21:]  # the CRC's region: attributes to the end

    def decode_all() -> None:
        for _key, value, headers in batch:
            decode(headers, value)

    figures: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for name, crc in (("python", crc32c_py), ("c", crc32c_c)):
            use(crc)
            rows = {
                f"crc alone ({name})": timed(partial(crc, region), args.records, args.repeat),
                f"producer build ({name})": timed(lambda: build(batch), args.records, args.repeat),
                f"consumer validate_crc ({name})": timed(
                    lambda: default_records.DefaultRecordBatch(buffer).validate_crc(),
                    args.records,
                    args.repeat,
                ),
            }
            for key, value in rows.items():
                figures.setdefault(key, []).append(value)
        figures.setdefault("decode (raw baseline's work)", []).append(
            timed(decode_all, args.records, 1)
        )
    assert fetched.validate_crc()
    print(
        f"{args.records} reports a batch, lz4, {size:,} bytes ({size / args.records:.0f} a record)"
    )
    for key, values in figures.items():
        print(
            f"  {key:34s} us a record: min {min(values):6.2f}  median {statistics.median(values):6.2f}"
        )


if __name__ == "__main__":
    main()
