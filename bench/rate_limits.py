"""Do the login limits hold across gunicorn workers, started the way the README says?

    .venv/bin/python bench/rate_limits.py [--workers N]

Not a test (tests/web/test_rate_limits_gunicorn.py runs the same steps with two workers).
It runs the README's production command (section "Production": `flask db upgrade`, then
gunicorn with -c gunicorn.conf.py) on a throwaway SQLite file and a loopback port, three ways:

1. with RATELIMIT_STORAGE_URI on a redis-server this script starts on a free loopback port:
   wrong passwords for one account until the first 429; it must come after exactly
   AUTH_RATE_LIMIT of them (10 by default), however the workers share the requests;
2. with the default in-memory store: gunicorn must refuse to start, saying why;
3. for contrast, the in-memory store with the refusal left out (bench/gunicorn.conf.py):
   each worker counts alone, so more wrong passwords get through (what the refusal prevents).

Needs `redis-server` on PATH (Debian: apt-get install redis-server).
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SECRET_KEY = "rate-limit-bench-secret"
GUESSED_ACCOUNT = "nobody.here"  # wrong passwords count alike for unknown names


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def readme_production_commands(readme: Path = ROOT / "README.md") -> tuple[list[str], list[str]]:
    """The README's production line, split into its `flask db upgrade` and gunicorn parts."""
    text = readme.read_text(encoding="utf-8")
    section = text.split("## Production", 1)[1].split("\n## ", 1)[0]
    line = next(row for row in section.splitlines() if "gunicorn" in row)
    upgrade, serve = (shlex.split(part) for part in line.split("&&"))
    return upgrade, serve


def gunicorn_command(workers: int | None, port: int, config: Path | None = None) -> list[str]:
    """The README's gunicorn command on a loopback port (its own -w unless `workers`), with
    this virtualenv's Python; `config` replaces its -c file."""
    _, serve = readme_production_commands()
    args = serve[1:]  # the executable: this Python's gunicorn
    out: list[str] = [sys.executable, "-m", "gunicorn"]
    replace = {"-b": f"127.0.0.1:{port}", "--bind": f"127.0.0.1:{port}"}
    if workers is not None:
        replace.update({"-w": str(workers), "--workers": str(workers)})
    if config is not None:
        replace.update({"-c": str(config), "--config": str(config)})
    i = 0
    while i < len(args):
        if args[i] in replace and i + 1 < len(args):
            out += [args[i], replace[args[i]]]
            i += 2
        else:
            out.append(args[i])
            i += 1
    return out


def server_env(database_url: str, store: str) -> dict[str, str]:
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
    env["RATELIMIT_STORAGE_URI"] = store
    env.pop("AUTH_RATE_LIMIT", None)  # the documented default
    env.pop("LOGIN_ADDRESS_RATE_LIMIT", None)
    return env


def migrate(database_url: str) -> None:
    """The README's first half: `flask --app app db upgrade`."""
    upgrade, _ = readme_production_commands()
    flask = [sys.executable, "-m", "flask", *upgrade[1:]]
    env = {**os.environ, "DATABASE_URL": database_url, "SECRET_KEY": SECRET_KEY}
    subprocess.run(flask, cwd=ROOT, env=env, check=True, capture_output=True)


@contextmanager
def redis_server() -> Iterator[str]:
    """A redis-server of its own on a free loopback port, nothing written to disk."""
    executable = shutil.which("redis-server")
    if executable is None:
        raise RuntimeError("redis-server is not on PATH (apt-get install redis-server)")
    port = free_port()
    with tempfile.TemporaryDirectory() as workdir:
        process = subprocess.Popen(
            [executable, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", workdir],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        try:
            deadline = time.monotonic() + 20
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                        sock.sendall(b"PING\r\n")
                        if sock.recv(16).startswith(b"+PONG"):
                            break
                except OSError:
                    pass
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("redis-server did not start")
                time.sleep(0.1)
            yield f"redis://127.0.0.1:{port}/0"
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace")


@contextmanager
def gunicorn(command: list[str], env: dict[str, str], log_path: Path) -> Iterator[Server]:
    """Start `command`; the caller waits for it (serving() or refused())."""
    port = command[command.index("-b") + 1].rsplit(":", 1)[1]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    server = Server(process, f"http://127.0.0.1:{port}", log_path)
    try:
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


def wait_serving(server: Server, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while True:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log()}")
        try:
            with urllib.request.urlopen(server.url + "/auth/login", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise TimeoutError(f"gunicorn did not serve within {timeout}s:\n{server.log()}")
        time.sleep(0.2)


def wait_refused(server: Server, timeout: float = 60) -> int:
    """gunicorn's exit code once it stopped by itself (it must not serve)."""
    try:
        return server.process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        raise AssertionError(f"gunicorn kept running:\n{server.log()}") from None


def wrong_logins_until_429(base: str, limit: int) -> tuple[int, list[int]]:
    """Wrong passwords for one account, as a browser sends them (the login page's CSRF token,
    its session cookie), each on a new connection so the workers share them. Returns how many
    came before the first 429 and every status seen (at most 3 * limit + 1 tries)."""
    opener = urllib.request.build_opener(
        urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
    )
    with opener.open(base + "/auth/login", timeout=10) as page:
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode())
    assert token, "no CSRF token on the login page"
    body = urllib.parse.urlencode(
        {"csrf_token": token.group(1), "username": GUESSED_ACCOUNT, "password": "wrong guess"}
    ).encode()
    statuses: list[int] = []
    for _ in range(3 * limit + 1):
        try:
            with opener.open(base + "/auth/login", data=body, timeout=10) as response:
                statuses.append(response.status)
        except urllib.error.HTTPError as error:
            statuses.append(error.code)
            error.close()
        if statuses[-1] == 429:
            return len(statuses) - 1, statuses
    return len(statuses), statuses


def configured_login_limit() -> int:
    """AUTH_RATE_LIMIT's first amount, as the app reads its default."""
    from limits import parse_many

    from quizzes.config import defaults

    with tempfile.TemporaryDirectory() as instance:
        text = defaults(instance)["AUTH_RATE_LIMIT"]
    return parse_many(text)[0].amount


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, help="default: the README's -w")
    args = parser.parse_args(argv)
    limit = configured_login_limit()
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        database_url = f"sqlite:///{Path(tmp) / 'bench.sqlite'}"
        migrate(database_url)
        command = gunicorn_command(args.workers, free_port())
        workers = command[command.index("-w") + 1]
        print(f"$ {shlex.join(command)}")
        print(f"AUTH_RATE_LIMIT allows {limit} wrong passwords a minute; {workers} workers")

        with (
            redis_server() as store,
            gunicorn(command, server_env(database_url, store), Path(tmp) / "redis.log") as server,
        ):
            wait_serving(server)
            before, statuses = wrong_logins_until_429(server.url, limit)
        holds = before == limit and statuses[:limit] == [401] * limit
        ok &= holds
        print(f"1. shared store ({store}): {before} wrong passwords before the first 429 "
              f"-> {'holds' if holds else 'DOES NOT HOLD'}")  # fmt: skip

        command = gunicorn_command(args.workers, free_port())
        in_memory = server_env(database_url, "memory://")
        with gunicorn(command, in_memory, Path(tmp) / "memory.log") as server:
            code = wait_refused(server)
            said = "refuses to start" in server.log()
        ok &= code != 0 and said
        print(f"2. in-memory store: gunicorn exited with {code}, "
              f"{'saying why' if said else 'WITHOUT the message'}:")  # fmt: skip
        for line in server.log().splitlines():
            if "refuses to start" in line:
                print(f"   {line.strip()}")
                break

        bypass = gunicorn_command(args.workers, free_port(), ROOT / "bench" / "gunicorn.conf.py")
        with gunicorn(bypass, in_memory, Path(tmp) / "bypass.log") as server:
            wait_serving(server)
            before, _ = wrong_logins_until_429(server.url, limit)
        print(f"3. for contrast, in memory with the refusal left out: {before} wrong passwords "
              f"before the first 429 (each worker counts alone)")  # fmt: skip
    print("OK" if ok else "FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    raise SystemExit(main())
