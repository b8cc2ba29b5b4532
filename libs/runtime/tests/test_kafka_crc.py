"""kafka-python checks the CRC32C of every fetched record batch (`check_crcs`) and computes it for
every batch a producer sends. Without the `crc32c` package it falls back to its pure-Python
`kafka/record/_crc32c.py`: ~10 us CPU a report on each side (`benchmarks/crc_cost.py`), more
than a report's whole decode. The runtime depends on `crc32c`; this keeps it in use."""

from __future__ import annotations

from kafka.record import default_records, util


def test_kafka_client_uses_the_c_crc32c_not_its_pure_python_fallback() -> None:
    assert util.crc32c_c is not None, (
        "the crc32c package is missing: kafka-python computes every batch's CRC32C in pure "
        "Python (~10 us CPU a record on fetch and again on produce)"
    )
    assert util.calc_crc32c.__defaults__ == (util.crc32c_c,)
    assert default_records.calc_crc32c is util.calc_crc32c


def test_the_c_crc32c_gives_the_checksum_kafka_expects() -> None:
    data = memoryview(b"123456789")
    assert util.calc_crc32c(data) == util.crc32c_py(data) == 0xE3069283  # RFC 3720's check value
