"""The real ``vicibus`` command as a child process, the way a shell runs it."""

from __future__ import annotations

import asyncio
import signal
import subprocess
import sys
from typing import Any

COMMAND = (sys.executable, "-m", "engine.cli")


def vicibus(*argv: str, **options: Any) -> subprocess.CompletedProcess[str]:
    """Run to its end (bounded); output captured as text unless ``options`` say otherwise."""
    streams: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return subprocess.run(
        [*COMMAND, *argv], text=True, check=False, timeout=60, **{**streams, **options}
    )


def _answer_ctrl_c() -> None:
    # A shell starts background jobs with SIGINT ignored, and a child keeps that: the tests
    # may run so (make test &), while the command under test must see Ctrl-C as a user would.
    signal.signal(signal.SIGINT, signal.SIG_DFL)


async def vicibus_process(*argv: str, **options: Any) -> asyncio.subprocess.Process:
    """Started, not awaited: the test's event loop keeps serving while the command runs."""
    streams: dict[str, Any] = {"stdout": subprocess.PIPE, "stderr": subprocess.PIPE}
    return await asyncio.create_subprocess_exec(
        *COMMAND, *argv, preexec_fn=_answer_ctrl_c, **{**streams, **options}
    )


async def interrupt(process: asyncio.subprocess.Process) -> tuple[bytes, bytes]:
    """Ctrl-C, as a terminal sends it; what it printed. Killed if it does not end in time."""
    if process.returncode is None:
        process.send_signal(signal.SIGINT)
    try:
        return await asyncio.wait_for(process.communicate(), 60)
    except TimeoutError:
        process.kill()
        raise
