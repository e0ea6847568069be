"""Running a Python script or a ``rota`` command in a child process, for tests that send it
signals."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path


def run_python(script: str) -> subprocess.CompletedProcess:
    """Run ``script`` in a child Python from the project root (signals sent to the child
    cannot disturb the test run)."""
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          timeout=120, cwd=Path(__file__).parent.parent)


def rota_with_ctrl_c(args: list[str], after_s: float) -> tuple[subprocess.CompletedProcess, float]:
    """Run ``rota ARGS`` and press Ctrl-C (SIGINT to its whole process group, as a terminal
    does) ``after_s`` seconds in; (the finished process, seconds from start to end)."""
    began = time.monotonic()
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "rota"), *args],
        start_new_session=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    time.sleep(after_s)
    os.killpg(process.pid, signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    done = subprocess.CompletedProcess(process.args, process.returncode, stdout, stderr)
    return done, time.monotonic() - began
