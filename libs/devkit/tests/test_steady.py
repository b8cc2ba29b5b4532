from tianmen_devkit.steady import Sample, verdict


def _run(rss: list[int], lag: list[int]) -> list[Sample]:
    return [
        Sample(float(n), {"telemetry": r * 1024}, {"telemetry": g})
        for n, (r, g) in enumerate(zip(rss, lag, strict=True))
    ]


def test_flat_memory_and_lag_that_comes_back_down_is_steady() -> None:
    ok, lines = verdict(_run([100, 110, 105, 108, 112, 109], [500, 900, 300, 700, 400, 600]))
    assert ok, lines
    assert lines[-1] == "verdict: memory flat and lag bounded"


def test_memory_that_keeps_growing_is_not_steady() -> None:
    ok, lines = verdict(_run([100, 130, 160, 190, 220, 250], [0] * 6))
    assert not ok
    assert "memory telemetry: 130 → 250 MiB: GROWING" in lines


def test_lag_that_keeps_growing_is_not_steady() -> None:
    ok, lines = verdict(_run([100] * 6, [1000, 5000, 9000, 13000, 17000, 21000]), per_second=100)
    assert not ok
    assert "lag telemetry: 5000 → 21000: GROWING" in lines


def test_too_short_a_run_gives_no_verdict() -> None:
    assert verdict(_run([100, 100], [0, 0])) == (
        False,
        ["too few samples for a verdict (need 3 or more)"],
    )
