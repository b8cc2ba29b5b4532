from tianmen_devkit.restarts import Restarts


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_a_process_that_keeps_dying_waits_twice_as_long_each_time_up_to_the_cap() -> None:
    clock = Clock()
    restarts = Restarts(clock=clock)
    delays = []
    for _ in range(8):
        restarts.started("safety")
        clock.now += 2
        delays.append(restarts.schedule("safety"))
    assert delays == [1, 2, 4, 8, 16, 30, 30, 30]


def test_a_process_that_ran_a_minute_restarts_at_once_again() -> None:
    clock = Clock()
    restarts = Restarts(clock=clock)
    for _ in range(4):
        restarts.started("credit")
        restarts.schedule("credit")
    restarts.started("credit")
    clock.now += 61
    assert restarts.schedule("credit") == 1


def test_a_restart_is_due_only_after_its_delay() -> None:
    clock = Clock()
    restarts = Restarts(clock=clock)
    restarts.started("gateway")
    restarts.schedule("gateway")
    assert restarts.pending("gateway") and not restarts.due("gateway")
    clock.now += 1
    assert restarts.due("gateway")
    restarts.started("gateway")
    assert not restarts.pending("gateway")
