"""The independent referee, ../shared/tools/check_rota.py, loaded by path for tests that
compare our reading, travel model or figures with it (it is not a package)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

CHECKER = Path(__file__).resolve().parents[2] / "shared" / "tools" / "check_rota.py"
MODULE = "check_rota"


def load_checker() -> ModuleType:
    """The referee module, loaded once; the calling test is skipped if the file is absent
    (CI has ../shared beside the project)."""
    if MODULE in sys.modules:
        return sys.modules[MODULE]
    if not CHECKER.is_file():
        pytest.skip(f"independent checker not found at {CHECKER} (expected ../shared/tools)")
    spec = importlib.util.spec_from_file_location(MODULE, CHECKER)
    module = importlib.util.module_from_spec(spec)
    sys.modules[MODULE] = module  # its dataclasses look their module up while the file runs
    spec.loader.exec_module(module)
    return module
