"""Running a Python script in a child process, for tests that send it signals."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path


def run_python(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a child Python from the project root (signals sent to the child
    cannot disturb the test run)."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parent.parent)
