"""Bounded waits: a call to a peer (the Docker daemon, the Hinemos manager) ends within its time
however the peer answers, and a monitor's whole run ends within the agent's patience.

A socket timeout bounds each read, so a peer that trickles one byte per read stretches a call
without end; here the call runs in a daemon thread and the caller stops waiting when its time is
up. The abandoned thread holds only its own connection and ends with the process.
"""
import queue
import threading
import time

from .errors import RunTimeout


class Deadline:
    """The end of a run (monotonic clock); `seconds=None` means no end."""

    def __init__(self, seconds=None, clock=time.monotonic):
        self.seconds = seconds
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds

    def remaining(self):
        """Seconds left (never below 0), or None without an end."""
        if self.end is None:
            return None
        return max(0.0, self.end - self.clock())

    def budget(self, seconds):
        """The time one wait may take: `seconds` (None: unbounded), cut to what the run has left;
        RunTimeout when nothing is left."""
        left = self.remaining()
        if left is None:
            return seconds
        if left <= 0:
            raise self.expired()
        return left if seconds is None else min(seconds, left)

    def bound(self, seconds):
        """(budget, "within ...") of one wait: the words say which limit ends it."""
        budget = self.budget(seconds)
        if seconds is not None and budget >= seconds:
            return budget, f"within {seconds:g} s"
        return budget, f"within the run's {self.seconds:g} s (--run-timeout)"

    def expired(self):
        return RunTimeout(f"the run did not finish within {self.seconds:g} s (--run-timeout)")


NO_DEADLINE = Deadline()


def bounded(function, seconds, on_timeout):
    """function() in a daemon thread, waited for at most `seconds` (None: without end); its
    result or exception, else the exception `on_timeout()` returns."""
    if seconds is None:
        return function()
    done = queue.Queue(maxsize=1)

    def call():
        try:
            done.put((True, function()))
        except BaseException as exc:  # handed to the waiting thread, which raises it
            done.put((False, exc))

    threading.Thread(target=call, daemon=True, name="bounded-call").start()
    try:
        ok, value = done.get(timeout=seconds)
    except queue.Empty:
        raise on_timeout() from None
    if ok:
        return value
    raise value


def parallel_map(function, items, workers):
    """[function(item) for item in items] with up to `workers` calls at once, in daemon threads (a
    stuck call never keeps the process alive at exit); the first exception is raised."""
    items = list(items)
    results = [None] * len(items)
    errors = []
    todo = queue.Queue()
    for index, item in enumerate(items):
        todo.put((index, item))
    finished = threading.Semaphore(0)

    def work():
        while True:
            try:
                index, item = todo.get_nowait()
            except queue.Empty:
                return
            try:
                results[index] = function(item)
            except BaseException as exc:  # re-raised by the caller's thread
                errors.append(exc)
            finished.release()

    for _ in range(min(workers, len(items))):
        threading.Thread(target=work, daemon=True, name="parallel-call").start()
    for _ in items:
        finished.acquire()
        if errors:
            raise errors[0]
    return results
