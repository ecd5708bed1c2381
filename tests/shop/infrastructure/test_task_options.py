"""Dramatiq's durations are written in the units of shop/infrastructure/task_options.py, defined there only
(issue 17): no tasks module has a MINUTE_MS of its own, nor an actor a duration in bare milliseconds."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
HOME = ROOT / "shop/infrastructure/task_options.py"


def modules():
    for package in ("shop", "cms", "oscar_forks"):
        for path in (ROOT / package).rglob("*.py"):
            if path != HOME and "migrations" not in path.parts and not path.is_relative_to(ROOT / "shop/settings"):
                yield path, path.read_text()


def test_the_units_are_defined_once():
    defining = [str(p.relative_to(ROOT)) for p, text in modules() if re.search(r"^\s*[A-Z_]+_MS\s*=", text, re.M)]
    assert defining == []


def test_no_actor_states_a_duration_in_bare_milliseconds():
    # A number alone (60_000), not a count of units (2 * MINUTE_MS).
    option = re.compile(r"""\b["']?(time_limit|max_age|min_backoff|max_backoff)["']?\s*[=:]\s*[\d_]+\s*[,)}\n]""")
    actors = [(path, text) for path, text in modules() if "dramatiq" in text]  # not HTTP's max_age, in seconds
    bare = [f"{p.relative_to(ROOT)}: {m.group(0)}" for p, text in actors for m in option.finditer(text)]
    assert bare == []
