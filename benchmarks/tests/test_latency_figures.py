"""The latency bench's arithmetic: nearest-rank percentiles, missing alerts ranked last, and
the stages of the alerts whose ends were both noted."""

import math

from latency_figures import percentile_ms, ranked, spread, stages


def test_percentile_is_the_nearest_rank() -> None:
    order = [i / 1000 for i in range(1, 101)]  # 1 ms .. 100 ms
    assert percentile_ms(order, 0.50) == 50
    assert percentile_ms(order, 0.99) == 99
    assert percentile_ms(order, 1.0) == 100
    assert percentile_ms([0.2], 0.99) == 200


def test_percentile_of_nothing_is_not_a_number() -> None:
    assert math.isnan(percentile_ms([], 0.5))


def test_missing_alerts_rank_after_every_arrival() -> None:
    assert ranked([0.3, 0.1], 2) == [0.1, 0.3, math.inf, math.inf]


def test_one_missing_alert_in_a_hundred_sets_the_p99() -> None:
    sent = {f"r{i}": 0.0 for i in range(100)}
    arrived = {f"r{i}": 0.1 for i in range(99)}  # r99's alert never came
    measured = spread(sent, arrived)
    assert measured.p50_ms == 100
    assert measured.p99_ms == 100
    arrived.pop("r98")
    assert spread(sent, arrived).p99_ms == math.inf
    assert spread(sent, arrived).counted == 98


def test_an_alert_nobody_sent_for_is_not_counted() -> None:
    measured = spread({"a": 1.0}, {"a": 1.5, "stray": 0.0})
    assert (measured.p50_ms, measured.counted) == (500, 1)


def test_stages_split_the_latency_where_each_moment_was_noted() -> None:
    moments = {
        "sent": {"a": 0.0, "b": 0.0},
        "outboxed": {"a": 0.1, "b": 0.3},
        "published": {"a": 0.15},  # b's alert not published yet
        "arrived": {"a": 0.2},
    }
    measured = stages(moments)
    assert measured["worker"].counted == 2
    assert measured["worker"].p99_ms == 300
    assert measured["relay"].counted == 1
    assert round(measured["relay"].p50_ms) == 50
    assert round(measured["reader"].p50_ms) == 50
