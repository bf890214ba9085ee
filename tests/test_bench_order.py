"""The benchmark's run order: no tool always runs right after the same other tool."""

import importlib.util
import sys
from collections import Counter
from itertools import pairwise
from pathlib import Path

import pytest

_spec = importlib.util.spec_from_file_location(
    "bench_measure", Path(__file__).parent.parent / "bench" / "measure.py")
measure = importlib.util.module_from_spec(_spec)
sys.modules[_spec.name] = measure
_spec.loader.exec_module(measure)


@pytest.mark.parametrize("count", [2, 4, 6, 8])
def test_over_as_many_rounds_as_tools_each_tool_follows_every_other_once(count):
    orders = measure.balanced_orders(count, count)
    assert all(sorted(order) == list(range(count)) for order in orders)
    pairs = Counter(pair for order in orders for pair in pairwise(order))
    assert set(pairs) == {(a, b) for a in range(count) for b in range(count) if a != b}
    assert set(pairs.values()) == {1}


@pytest.mark.parametrize(("count", "most_repeats"), [(4, 1), (6, 1), (3, 2), (5, 2)])
def test_fewer_rounds_repeat_no_pair_and_odd_counts_at_most_twice(count, most_repeats):
    orders = measure.balanced_orders(count, count - 1)
    assert len(orders) == count - 1
    assert all(sorted(order) == list(range(count)) for order in orders)
    pairs = Counter(pair for order in orders for pair in pairwise(order))
    assert max(pairs.values()) <= most_repeats


def test_round_robin_runs_each_tool_once_per_round_in_that_order(tmp_path):
    ran: list[str] = []

    class Fake(measure.Contender):
        def run_once(self, run):
            ran.append(self.name)
            return measure.Sample(1.0, 1.0, 1.0)

    contenders = [Fake(name, [], tmp_path, tmp_path / "log") for name in "abcd"]
    measure.round_robin(contenders, runs=3, progress=lambda line: None)
    expected = ["abcd"[i] for order in measure.balanced_orders(4, 3) for i in order]
    assert ran == expected
    assert all(len(c.samples) == 3 for c in contenders)
