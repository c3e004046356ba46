from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh directory that is also the working directory, so file names print short."""
    monkeypatch.chdir(tmp_path)
    return tmp_path
