"""gunicorn on 127.0.0.1 and a free port, started for a benchmark and always stopped after it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from benchmarks.datasets import BENCH_SECRET_KEY
from benchmarks.net import free_port, wait_for_port

APP = "quizapp:create_app()"


@dataclass(frozen=True)
class Served:
    port: int
    master_pid: int

    def worker_memory_kib(self) -> list[int]:
        """The resident memory of each worker process now (Linux /proc), in KiB."""
        sizes = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.master_pid:  # the parent pid
                    status = (stat.parent / "status").read_text().splitlines()
                    sizes.append(int(next(line for line in status if line.startswith("VmRSS:")).split()[1]))
            except (OSError, IndexError, StopIteration, ValueError):
                continue  # a process that ended while being read
        return sizes


@contextmanager
def gunicorn(
    database_url: str, *, workers: int, threads: int, app: str = APP, log: Path | None = None
) -> Iterator[Served]:
    """Serve ``app`` on a database with DATABASE_URL/SECRET_KEY in the environment; yield where it listens."""
    port = free_port()
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": BENCH_SECRET_KEY}
    command = [
        sys.executable, "-m", "gunicorn", app,
        "--bind", f"127.0.0.1:{port}",
        "--workers", str(workers),
        "--threads", str(threads),
        "--log-level", "warning",
        "--graceful-timeout", "10",
    ]  # fmt: skip
    output = open(log, "ab") if log is not None else subprocess.DEVNULL  # noqa: SIM115
    process = subprocess.Popen(command, env=env, stdout=output, stderr=output, cwd=Path(__file__).parent.parent)
    try:
        wait_for_port(port)
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with status {process.returncode}")
        yield Served(port, process.pid)
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # the master stops its workers, then itself
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if output is not subprocess.DEVNULL:
            output.close()
