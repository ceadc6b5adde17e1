"""Rate limits hold as configured under the README's production command (gunicorn, several
workers): with a shared store (Redis) exactly AUTH_RATE_LIMIT wrong passwords come before
the first 429; with a per-process store gunicorn refuses to start, saying what to set.
The servers are started by bench/rate_limits.py's helpers, the load script's own steps.
"""

from __future__ import annotations

import shutil

import pytest

from app import create_app
from bench import rate_limits as bench
from quizzes.web.ratelimits import shared_store_problem


def _app(**config):
    return create_app({"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://", **config})


def test_several_workers_on_the_memory_store_are_refused_with_what_to_set():
    problem = shared_store_problem(_app(RATELIMIT_STORAGE_URI="memory://"), workers=2)
    assert problem is not None
    assert "refuses to start 2 workers" in problem
    assert "RATELIMIT_STORAGE_URI" in problem and "redis://" in problem and "-w 1" in problem


@pytest.mark.parametrize(
    ("config", "workers"),
    [
        ({"RATELIMIT_STORAGE_URI": "memory://"}, 1),  # one process counts everything
        ({"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/0"}, 4),  # shared by the workers
        ({"RATELIMIT_STORAGE_URI": "memory://", "RATELIMIT_ENABLED": False}, 4),  # nothing counted
    ],
)
def test_limits_that_hold_start(config, workers):
    assert shared_store_problem(_app(**config), workers) is None


def test_another_app_is_left_alone():
    from flask import Flask

    assert shared_store_problem(Flask("bare"), workers=4) is None


def test_the_readme_production_command_uses_the_checking_config():
    upgrade, serve = bench.readme_production_commands()
    assert upgrade[-2:] == ["db", "upgrade"]
    assert serve[serve.index("-c") + 1] == "gunicorn.conf.py"
    assert "app:create_app()" in serve
    command = bench.gunicorn_command(2, 8123)
    assert command[command.index("-w") + 1] == "2"
    assert command[command.index("-b") + 1] == "127.0.0.1:8123"


needs_redis = pytest.mark.skipif(
    shutil.which("redis-server") is None, reason="redis-server is not on PATH"
)


@pytest.mark.slow
def test_two_workers_on_the_memory_store_refuse_to_start(empty_database_url, tmp_path):
    bench.migrate(empty_database_url)
    command = bench.gunicorn_command(2, bench.free_port())
    env = bench.server_env(empty_database_url, "memory://")
    with bench.gunicorn(command, env, tmp_path / "gunicorn.log") as server:
        code = bench.wait_refused(server)
        log = server.log()
    assert code != 0
    assert "Quizdeck refuses to start 2 workers with rate limits kept in memory" in log


@pytest.mark.slow
@needs_redis
def test_login_limit_holds_exactly_across_two_workers_on_redis(empty_database_url, tmp_path):
    bench.migrate(empty_database_url)
    limit = bench.configured_login_limit()
    command = bench.gunicorn_command(2, bench.free_port())
    with (
        bench.redis_server() as store,
        bench.gunicorn(
            command, bench.server_env(empty_database_url, store), tmp_path / "gunicorn.log"
        ) as server,
    ):
        bench.wait_serving(server)
        before, statuses = bench.wrong_logins_until_429(server.url, limit)
    assert before == limit == 10
    assert statuses == [401] * limit + [429]
