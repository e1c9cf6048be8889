"""Bounded waits: a call that never returns is abandoned at its time; a run's deadline cuts every
call's budget."""
import threading

import pytest

from hinemos_docker.deadline import Deadline, bounded, parallel_map
from hinemos_docker.errors import RunTimeout


class Clock:
    def __init__(self):
        self.now = 100.0

    def __call__(self):
        return self.now


def test_a_deadline_cuts_the_budget_and_then_expires():
    clock = Clock()
    deadline = Deadline(12, clock=clock)
    assert deadline.budget(10) == 10
    clock.now += 5
    assert deadline.budget(10) == 7
    assert deadline.budget(None) == 7
    clock.now += 7
    with pytest.raises(RunTimeout, match="did not finish within 12 s"):
        deadline.budget(10)


def test_no_deadline_leaves_the_budget_alone():
    assert Deadline().budget(10) == 10
    assert Deadline().budget(None) is None
    assert Deadline().remaining() is None


def test_bounded_returns_the_result_or_raises_the_error():
    assert bounded(lambda: 42, 5, lambda: AssertionError("no timeout expected")) == 42
    with pytest.raises(KeyError):
        bounded(lambda: {}["missing"], 5, lambda: AssertionError("no timeout expected"))


def test_bounded_abandons_a_call_that_never_returns():
    never = threading.Event()
    with pytest.raises(TimeoutError, match="too slow"):
        bounded(never.wait, 0.1, lambda: TimeoutError("too slow"))
    never.set()  # lets the abandoned daemon thread end


def test_parallel_map_keeps_the_order_and_raises_the_first_error():
    assert parallel_map(lambda x: x * 2, range(50), 8) == [x * 2 for x in range(50)]
    assert parallel_map(lambda x: x, [], 8) == []

    def fail_on_7(x):
        if x == 7:
            raise ValueError("seven")
        return x
    with pytest.raises(ValueError, match="seven"):
        parallel_map(fail_on_7, range(20), 4)


def test_parallel_map_threads_are_daemons():
    seen = []

    def record(_):
        seen.append(threading.current_thread().daemon)
        return True
    parallel_map(record, range(4), 4)
    assert seen and all(seen)
