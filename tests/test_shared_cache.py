"""The shared results: bounded by the memory they hold, computed once per key, frozen before sharing."""

from __future__ import annotations

import threading
import time

import numpy as np
import pytest

from core.design import design_matrix
from core.examples import example
from core.solve import fit_normal_equation
from ui.cache import freeze
from ui.memo import Memo, nbytes


def test_memo_evicts_the_least_recently_used_past_its_byte_budget():
    memo = Memo(budget_bytes=3 * 8_000_200)
    for k in range(3):
        memo.get(k, lambda: np.zeros(1_000_000))
    memo.get(0, lambda: pytest.fail("0 is still held"))  # touch 0: now 1 is the oldest
    memo.get(3, lambda: np.zeros(1_000_000))
    assert len(memo) == 3 and memo.held <= memo.budget
    calls = []
    memo.get(1, lambda: calls.append(1) or np.zeros(10))
    assert calls == [1]  # 1 was dropped and computed again
    memo.get(0, lambda: pytest.fail("0 was used recently and must still be held"))


def test_memo_keeps_the_newest_result_even_when_it_alone_is_over_budget():
    memo = Memo(budget_bytes=1000)
    big = memo.get("big", lambda: np.zeros(10_000))
    assert memo.get("big", lambda: pytest.fail("recomputed")) is big


def test_memo_computes_a_key_once_when_many_sessions_ask_at_once():
    memo, calls = Memo(budget_bytes=10**9), []

    def slow():
        calls.append(1)
        time.sleep(0.05)
        return np.ones(3)

    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.get("k", slow))) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(calls) == 1 and len(results) == 8 and all(r is results[0] for r in results)


def test_a_failed_computation_leaves_nothing_behind():
    memo = Memo(budget_bytes=10**6)
    with pytest.raises(ValueError):
        memo.get("bad", lambda: (_ for _ in ()).throw(ValueError("no")))
    assert len(memo) == 0 and memo.get("bad", lambda: 5) == 5


def test_shared_fits_are_frozen_so_no_session_can_change_another_s():
    ex = example("hours")
    fit = freeze(fit_normal_equation(design_matrix(ex.frame, ex.target, list(ex.features), ex.degree)))
    for array in (fit.theta, fit.r_factor, fit.std_errors, fit.design.X, fit.design.y, fit.design.raw):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 1.0
    assert isinstance(fit.names, tuple) and isinstance(fit.warnings, tuple)
    assert nbytes(fit) >= fit.design.X.nbytes + fit.design.y.nbytes


def test_a_result_holding_another_is_not_counted_twice():
    """A fit holds its design: with both held, the design's arrays count once (a 1M-row upload
    otherwise pushed its own design out of the memo on every run)."""
    ex = example("hours")
    memo = Memo(budget_bytes=10**9)
    design = memo.get("design", lambda: design_matrix(ex.frame, ex.target, list(ex.features), ex.degree))
    before = memo.held
    memo.get("fit", lambda: fit_normal_equation(design))
    assert memo.held - before < nbytes(design)  # the fit's own arrays only
    big = np.zeros((200_000, 5))
    memo2 = Memo(budget_bytes=int(1.5 * big.nbytes))
    memo2.get("a", lambda: big)
    memo2.get("b", lambda: (big, np.ones(3)))  # holds the same array: fits in the budget
    assert len(memo2) == 2


def test_peek_returns_a_held_result_without_computing_anything():
    from ui.memo import Memo

    memo = Memo(1 << 20)
    assert memo.peek("k") is None and len(memo) == 0
    memo.get("k", lambda: (1, 2))
    assert memo.peek("k") == (1, 2)
