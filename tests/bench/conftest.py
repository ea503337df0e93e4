"""Benchmarks write their figures to var/bench.json (flat keys) and print them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

BENCH_FILE = Path(settings.VAR_DIR) / "bench.json"


def record_bench(**figures: Any) -> None:
    """Merge figures into var/bench.json, so each benchmark adds its own keys."""
    BENCH_FILE.parent.mkdir(parents=True, exist_ok=True)
    current = json.loads(BENCH_FILE.read_text()) if BENCH_FILE.exists() else {}
    current.update(figures)
    BENCH_FILE.write_text(json.dumps(current, indent=2, sort_keys=True) + "\n")
    for key, value in sorted(figures.items()):
        print(f"{key}: {value}")


@pytest.fixture
def bench_record() -> Any:
    return record_bench
