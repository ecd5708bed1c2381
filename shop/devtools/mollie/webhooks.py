"""Webhook calls as Mollie makes them: POST id=tr_... form-encoded, 15 s timeout, no redirects followed,
anything but 200 retried after the next delay until the delays run out.

One worker thread works through a queue ordered by due time, so tests can wait for it to go idle.
"""

import heapq
import itertools
import threading
import time
from dataclasses import dataclass

import requests

from .state import iso, now

TIMEOUT_SECONDS = 15


@dataclass(frozen=True)
class _Call:
    payment_id: str
    url: str
    attempt: int


class WebhookSender:
    def __init__(self, retry_delays: tuple[float, ...]):
        self._retry_delays = tuple(retry_delays)
        self._condition = threading.Condition()
        self._queue: list[tuple[float, int, _Call]] = []
        self._order = itertools.count()
        self._in_flight = 0
        # clear() bumps the generation so an attempt in flight at the time leaves no trace.
        self._generation = 0
        self._deliveries: list[dict] = []
        self._thread: threading.Thread | None = None
        self._stopping = False

    def start(self) -> None:
        self._stopping = False
        self._thread = threading.Thread(target=self._work, name="mollie-simulator-webhooks", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        with self._condition:
            self._stopping = True
            self._condition.notify_all()
        if self._thread is not None:
            # An attempt in progress may take up to its timeout; the thread is a daemon, so don't wait for it.
            self._thread.join(timeout=1)

    def send(self, payment_id: str, url: str) -> None:
        self._schedule(_Call(payment_id, url, attempt=1), delay=0)

    @property
    def deliveries(self) -> list[dict]:
        with self._condition:
            return [dict(delivery) for delivery in self._deliveries]

    @property
    def pending(self) -> int:
        with self._condition:
            return len(self._queue) + self._in_flight

    def wait_idle(self, timeout: float) -> bool:
        with self._condition:
            return self._condition.wait_for(lambda: not self._queue and not self._in_flight, timeout=timeout)

    def clear(self) -> None:
        with self._condition:
            self._queue.clear()
            self._deliveries.clear()
            self._generation += 1
            self._condition.notify_all()

    def _schedule(self, call: _Call, delay: float) -> None:
        with self._condition:  # re-entrant: the worker schedules retries while holding it
            heapq.heappush(self._queue, (time.monotonic() + delay, next(self._order), call))
            self._condition.notify_all()

    def _next_due(self) -> tuple[_Call, int] | None:
        with self._condition:
            while not self._stopping:
                if self._queue and self._queue[0][0] <= time.monotonic():
                    _, _, call = heapq.heappop(self._queue)
                    self._in_flight += 1
                    return call, self._generation
                self._condition.wait(timeout=self._queue[0][0] - time.monotonic() if self._queue else None)
            return None

    def _work(self) -> None:
        while (due := self._next_due()) is not None:
            call, generation = due
            status_code, error = self._post(call)
            with self._condition:
                self._in_flight -= 1
                if generation == self._generation:
                    self._deliveries.append(
                        {
                            "payment_id": call.payment_id,
                            "url": call.url,
                            "attempt": call.attempt,
                            "status_code": status_code,
                            "error": error,
                            "at": iso(now()),
                        }
                    )
                    if status_code != 200 and call.attempt <= len(self._retry_delays):
                        retry = _Call(call.payment_id, call.url, call.attempt + 1)
                        self._schedule(retry, delay=self._retry_delays[call.attempt - 1])
                self._condition.notify_all()

    @staticmethod
    def _post(call: _Call) -> tuple[int | None, str | None]:
        # A fresh session per attempt: no stale pooled connection fails an attempt, and trust_env=False
        # ignores HTTP(S)_PROXY, since Mollie calls the shop's URL directly.
        with requests.Session() as session:
            session.trust_env = False
            try:
                response = session.post(
                    call.url, data={"id": call.payment_id}, timeout=TIMEOUT_SECONDS, allow_redirects=False
                )
            except requests.RequestException as exc:
                return None, f"{type(exc).__name__}: {exc}"
        if response.status_code != 200:
            return response.status_code, f"HTTP {response.status_code}"
        return response.status_code, None
