"""Starts the real server the way `make run` does and fetches a page over HTTP."""

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.mark.slow
def test_real_server_serves_home_page(empty_database_url):
    # `flask db upgrade` then `flask run`, on SQLite or on PostgreSQL (TEST_DATABASE_URL).
    env = {
        **os.environ,
        "DATABASE_URL": empty_database_url,
        "SECRET_KEY": "smoke",
        "FLASK_APP": "app.py",
    }
    flask = [sys.executable, "-m", "flask"]
    subprocess.run([*flask, "db", "upgrade"], cwd=ROOT, env=env, check=True, capture_output=True)
    port = free_port()
    server = subprocess.Popen(
        [*flask, "run", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2) as response:
                    body = response.read().decode()
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.2)
        assert response.status == 200
        assert "Quizdeck" in body
    finally:
        server.terminate()
        server.communicate(timeout=10)
