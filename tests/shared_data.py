"""The public DfE/ONS data beside the repository (``../shared/data``), and the mark for tests
that need it: they skip, saying why, where the folder is absent."""

from __future__ import annotations

from pathlib import Path

import pytest

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
NEEDS_SHARED = pytest.mark.skipif(
    not SHARED.is_dir(), reason=f"the shared DfE/ONS data is not beside the repository ({SHARED})"
)
