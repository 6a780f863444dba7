"""The whole system, started for the end-to-end suite exactly as `bin/up` starts it (honcho and
the Procfile), but on ports, databases, broker names, clock and var directory of its own."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import requests

from shared.clock import Clock
from shared.config import REPO_ROOT

BASE_PORTS = {"GATEWAY_PORT": 8080, "IDENTITY_PORT": 8101, "PROFILE_PORT": 8102,
              "BOOKING_PORT": 8103, "LOTTERY_PORT": 8104, "NOTIFICATION_PORT": 8105,
              "SMTP_SINK_PORT": 8025, "SMTP_PORT": 8025}


@dataclass
class RunningSystem:
    env: dict[str, str]
    var_dir: Path
    process: subprocess.Popen | None = None
    log_path: Path = field(default=None)
    # replicas run under a honcho of their own ("lottery-scheduler.2" -> its honcho)
    replicas: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def gateway_url(self) -> str:
        return f"http://127.0.0.1:{self.env['GATEWAY_PORT']}"

    @property
    def clock(self) -> Clock:
        return Clock(Path(self.env["CLOCK_FILE"]), settable=True)

    def run(self, *args: str, check: bool = True, **kwargs) -> subprocess.CompletedProcess:
        """Run a project command (a CLI of a service) against this system."""
        return subprocess.run([sys.executable, *args], env=self.env, cwd=REPO_ROOT, check=check,
                              capture_output=True, text=True, timeout=300, **kwargs)

    def services(self) -> list[str]:
        return sorted(p.parent.parent.name
                      for p in (REPO_ROOT / "services").glob("*/entrypoints/app.py"))

    def log_tail(self, lines: int = 80) -> str:
        if not self.log_path or not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


def port_offset() -> int:
    """The first offset (10000, 11000, …) at which every port of the system is free, so that
    a developer's running system or another test run does not collide with this one."""
    if os.environ.get("HS_E2E_PORT_OFFSET"):
        return int(os.environ["HS_E2E_PORT_OFFSET"])
    for offset in range(10000, 40000, 1000):
        if all(_port_free(port + offset) for port in set(BASE_PORTS.values())):
            return offset
    raise RuntimeError("no free set of ports for the end-to-end system")


def system_env(run_id: str) -> tuple[dict[str, str], Path]:
    var_dir = Path(tempfile.mkdtemp(prefix=f"hs-e2e-{run_id}-"))
    env = dict(os.environ)
    env.update({
        "HS_MODE": "test",
        "PYTHONPATH": str(REPO_ROOT),
        "PATH": f"{REPO_ROOT / '.venv' / 'bin'}:{env.get('PATH', '')}",
        "HS_VAR_DIR": str(var_dir),
        "DATABASE_SUFFIX": f"_e{run_id}",
        "BROKER_PREFIX": f"e{run_id}.",
        "CLOCK_FILE": str(var_dir / "clock.json"),
        "JWT_KEY_DIR": str(var_dir / "keys"),
        "WEB_CONCURRENCY": "2",
    })
    for name in ("JWT_PUBLIC_KEY_PATH", "JWT_PRIVATE_KEY_PATH"):
        env.pop(name, None)
    offset = port_offset()
    for name, port in BASE_PORTS.items():
        env[name] = str(port + offset)
    env["PUBLIC_BASE_URL"] = f"http://127.0.0.1:{env['GATEWAY_PORT']}"
    return env, var_dir


def prepare_system(run_id: str) -> RunningSystem:
    env, var_dir = system_env(run_id)
    return RunningSystem(env=env, var_dir=var_dir, log_path=var_dir / "honcho.log")


def _honcho(system: RunningSystem, log_path: Path, *args: str) -> subprocess.Popen:
    command = [str(REPO_ROOT / ".venv" / "bin" / "honcho"), "start", "-f", str(REPO_ROOT / "Procfile"),
               *args]
    with open(log_path, "a") as log:
        return subprocess.Popen(command, cwd=REPO_ROOT, env=system.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True)


def start_replica(system: RunningSystem, name: str) -> subprocess.Popen:
    """(Re)start one replica of an isolated process type, e.g. "lottery-scheduler.2"."""
    kind = name.rsplit(".", 1)[0]
    system.replicas[name] = _honcho(system, system.var_dir / f"{name}.log", kind)
    return system.replicas[name]


def start_system(system: RunningSystem, timeout: float = 120.0,
                 concurrency: str | None = None, isolated: tuple[str, ...] = ()) -> RunningSystem:
    """Migrate, declare the queues and start every process of the Procfile; wait until ready.
    `concurrency` is honcho's `-c`, e.g. "lottery-scheduler=3". Each replica of an `isolated`
    process type runs under a honcho of its own (log `<var>/<type>.<n>.log`): honcho stops all
    it runs when one exits, and a test that kills a replica must not stop the system."""
    services = system.services()
    system.run("-m", "shared.keys")
    system.run("-m", "shared.migrate", *services)
    system.run("-m", "shared.events.declare")
    counts = dict(item.split("=") for item in concurrency.split(",")) if concurrency else {}
    replicas = {kind: int(counts.get(kind, 1)) for kind in isolated}
    counts.update({kind: 0 for kind in isolated})
    system.log_path.write_text("")
    args = ["-c", ",".join(f"{k}={v}" for k, v in counts.items())] if counts else []
    system.process = _honcho(system, system.log_path, *args)
    for kind, count in replicas.items():
        for n in range(1, count + 1):
            start_replica(system, f"{kind}.{n}")
    deadline = time.monotonic() + timeout
    pending = list(services)
    while pending and time.monotonic() < deadline:
        stopped = [p for p in [system.process, *system.replicas.values()] if p.poll() is not None]
        if stopped:
            raise RuntimeError(f"the system stopped while starting:\n{system.log_tail()}")
        for service in list(pending):
            try:
                url = f"{system.gateway_url}/api/{service}/ready"
                if requests.get(url, timeout=2).status_code == 200:
                    pending.remove(service)
            except requests.RequestException:
                pass
        time.sleep(0.5)
    if pending:
        raise RuntimeError(f"not ready after {timeout:.0f}s: {pending}\n{system.log_tail()}")
    return system


def processes_below(root: int, marker: bytes) -> list[int]:
    """Processes below `root` (honcho gives each child a session of its own: walk the parent
    links) whose command line names `marker`."""
    parents, commands = {}, {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1]
                                               .split()[1])
                commands[int(entry.name)] = (entry / "cmdline").read_bytes()
            except (OSError, IndexError, ValueError):
                continue
    tree, grew = {root}, True
    while grew:
        below = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= below
        grew = bool(below)
    return [pid for pid in tree if marker in commands.get(pid, b"")]


def _stop(process: subprocess.Popen | None) -> None:
    if process and process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=10)


def stop_system(system: RunningSystem) -> None:
    for process in [*system.replicas.values(), system.process]:
        _stop(process)


def drop_system_databases(system: RunningSystem) -> None:
    from shared.db import drop_database

    suffix = system.env["DATABASE_SUFFIX"]
    for service in system.services():
        try:
            drop_database(f"postgresql+psycopg2://postgres@127.0.0.1:5432/hs_{service}{suffix}")
        except Exception:  # noqa: BLE001 - cleanup must not hide the test result
            pass


def delete_system_broker_objects(system: RunningSystem) -> None:
    """Delete the queues and exchanges of this run's broker prefix. Left behind, every run's
    quorum queues add up until RabbitMQ's file-handle limit is reached (it then accepts no new
    connection at all: seen with ~300 leftover queues and `ulimit -n` 1024)."""
    from shared.testing import _delete_broker_objects

    _delete_broker_objects(system.env["BROKER_PREFIX"])

