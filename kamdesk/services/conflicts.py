"""A stale save settled instead of lost: the three-way merge of one record against the row as it is now."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from kamdesk.domain.merge import MergeResult, RecordStamp, Side

D = TypeVar("D")


@dataclass
class RecordMerge(Generic[D]):
    """What the editor loaded (base), the form (mine) and the record now (current; None when deleted)."""

    base: D
    mine: D
    current: D | None
    stamp: RecordStamp
    result: MergeResult | None
    apply: Callable[[D, Mapping[str, Any]], D]

    @property
    def deleted(self) -> bool:
        return self.current is None

    @property
    def clean(self) -> bool:
        return self.result is not None and self.result.clean

    def merged(self, choices: Mapping[str, Side] | None = None) -> D:
        """The record to save: the current row with the merged fields, based on its current version."""
        if self.current is None or self.result is None:
            raise ValueError("the record was deleted; restore it as new instead")
        return self.apply(self.current, self.result.resolve(choices or {}))
