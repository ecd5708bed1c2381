import time


def wait_until(condition, *, timeout: float = 30, what: str, interval: float = 0.02) -> float:
    """Poll `condition` until it holds; return the seconds it took. Fails after `timeout` seconds."""
    started = time.monotonic()
    while not condition():
        assert time.monotonic() - started < timeout, f"{what}: not within {timeout} s"
        time.sleep(interval)
    return time.monotonic() - started
