"""What a job returns to its door (command line, ribbon, scheduled script)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass
class JobResult:
    written: Path
    backup: Path | None
    sheets: list[str]
    problems: int
    summary: dict = field(default_factory=dict)
    result: object = None  # the engine's result (MonthResult, KpiResult, ...)
