"""A memo of results shared by every session, bounded by the memory its results hold.

``st.cache_resource`` bounds a cache by its number of entries only: 64
entries of million-row designs would hold gigabytes. :class:`Memo` keeps
results in least-recently-used order and evicts the oldest once the bytes
they hold (their numpy arrays and DataFrames, found through dataclass fields,
tuples and attributes) pass a budget. One lock per key makes two sessions
asking for the same result compute it once, while different results are
computed in parallel.
"""

from __future__ import annotations

import dataclasses
import sys
import threading
from collections import OrderedDict
from typing import Callable, Hashable

import numpy as np
import pandas as pd


def nbytes(value, _seen: set | None = None) -> int:
    """An estimate of the memory ``value`` holds: its arrays and frames, counted once each.

    >>> nbytes(np.zeros(1000)) >= 8000
    True
    """
    seen = set() if _seen is None else _seen
    if id(value) in seen:
        return 0
    seen.add(id(value))
    if isinstance(value, np.ndarray):
        base = value.base if isinstance(value.base, np.ndarray) else None
        return (nbytes(base, seen) if base is not None else value.nbytes) + 112
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return int(value.memory_usage(deep=False).sum()) if isinstance(value, pd.DataFrame) \
            else int(value.memory_usage(deep=False))
    if isinstance(value, (str, bytes, int, float, bool, type(None))):
        return sys.getsizeof(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        return 56 + sum(nbytes(v, seen) for v in value)
    if isinstance(value, dict):
        return 64 + sum(nbytes(k, seen) + nbytes(v, seen) for k, v in value.items())
    if dataclasses.is_dataclass(value):
        return 64 + sum(nbytes(getattr(value, f.name), seen) for f in dataclasses.fields(value))
    if hasattr(value, "__dict__"):
        return 64 + sum(nbytes(v, seen) for v in vars(value).values())
    return sys.getsizeof(value)


class Memo:
    """Least-recently-used results under a byte budget, shared by all threads.

    Parameters
    ----------
    budget_bytes : int
        Results are evicted, oldest first, while the total passes this (the
        newest result is always kept, however large).
    """

    def __init__(self, budget_bytes: int):
        self.budget = int(budget_bytes)
        self._items: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        # Objects counted by each held result: a later result that holds them too (a fit holds its design)
        # does not count them again; they are forgotten with the result that counted them (so an id that
        # Python reuses after the object is freed is never taken for a held one).
        self._counted: dict[Hashable, set[int]] = {}
        self._lock = threading.Lock()
        self._key_locks: dict[Hashable, threading.Lock] = {}
        self.held = 0

    def get(self, key: Hashable, compute: Callable[[], object]):
        """The result for ``key``, computing it (once, even if asked from several threads) if needed."""
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key][0]
            key_lock = self._key_locks.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._items:  # computed by another thread while this one waited
                    self._items.move_to_end(key)
                    return self._items[key][0]
            value = compute()  # an exception leaves nothing cached
            with self._lock:
                held = set().union(*self._counted.values()) if self._counted else set()
                seen = set(held)
                size = nbytes(value, seen)  # arrays another result already holds are not counted again
                self._counted[key] = seen - held
                self._items[key] = (value, size)
                self.held += size
                while self.held > self.budget and len(self._items) > 1:
                    old, (_, dropped) = self._items.popitem(last=False)
                    self.held -= dropped
                    self._counted.pop(old, None)
                self._key_locks.pop(key, None)
            return value

    def peek(self, key: Hashable):
        """The result for ``key`` if it is held (counted as a use), else None; never computes."""
        with self._lock:
            if key not in self._items:
                return None
            self._items.move_to_end(key)
            return self._items[key][0]

    def __len__(self) -> int:
        return len(self._items)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self._counted.clear()
            self.held = 0
