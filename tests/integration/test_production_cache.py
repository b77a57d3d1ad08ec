"""services.cache: Redis when configured (shared), per process otherwise, uncached when Redis fails."""

from __future__ import annotations

import os

import pytest

from services import cache
from testing.harness import TEST_SECRET, configured, free_port
from tests.conftest import require_or_skip

REDIS_URL = os.environ.get("LAGESBILD_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


def _redis_ok() -> tuple[bool, str]:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_timeout=1, socket_connect_timeout=1).ping()
        return True, ""
    except Exception as exc:  # noqa: BLE001
        return False, f"Redis not reachable at {REDIS_URL}: {exc}"


@pytest.fixture
def calls():
    return []


def make(calls, name):
    @cache.memoize(timeout=60, name=name)
    def square(x: int, label: str = "") -> dict:
        calls.append(x)
        return {"x": x, "sq": x * x, "label": label}

    return square


def test_per_process_without_redis(calls):
    with configured({"LAGESBILD_REDIS_URL": None}):
        f = make(calls, "test.local")
        assert f(3) == {"x": 3, "sq": 9, "label": ""}
        assert f(3) is f(3)
        assert f(3, label="a")["label"] == "a"
        assert calls == [3, 3]
        assert cache.cache_status() == {"backend": "local", "ok": True}


def test_redis_is_shared_and_signed(calls):
    ok, reason = _redis_ok()
    require_or_skip(ok, reason)
    with configured({"LAGESBILD_REDIS_URL": REDIS_URL, "LAGESBILD_SECRET_KEY": TEST_SECRET}):
        cache.reset_after_fork()
        cache.clear()
        f = make(calls, "test.redis")
        assert f(4)["sq"] == 16 and f(4)["sq"] == 16
        assert calls == [4]
        g = make(calls, "test.redis")  # "another worker": same name, empty local state
        assert g(4)["sq"] == 16 and calls == [4]
        assert cache.cache_status()["ok"] is True
        # a value written by someone without the secret is never unpickled
        import pickle

        import redis

        key = cache.make_key("test.redis", (5,), {})
        redis.Redis.from_url(REDIS_URL).set(key, b"\0" * 32 + pickle.dumps({"evil": True}))
        assert f(5)["sq"] == 25 and calls == [4, 5]
        cache.clear()
    cache.reset_after_fork()


def test_redis_down_serves_uncached_without_errors(calls, caplog):
    port = free_port()  # nothing listens there
    with configured({"LAGESBILD_REDIS_URL": f"redis://127.0.0.1:{port}/0"}):
        cache.reset_after_fork()
        f = make(calls, "test.down")
        with caplog.at_level("WARNING", logger="lagesbild.cache"):
            assert [f(2)["sq"] for _ in range(3)] == [4, 4, 4]
        assert calls == [2, 2, 2]  # computed every time: uncached, not failing
        status = cache.cache_status()
        assert status["backend"] == "redis" and status["ok"] is False
        assert sum("redis unavailable" in r.getMessage() for r in caplog.records) == 1  # once, not per call
    cache.reset_after_fork()


def test_arguments_must_be_primitive(calls):
    with configured({"LAGESBILD_REDIS_URL": None}):
        f = make(calls, "test.args")
        with pytest.raises(TypeError, match="primitive"):
            f([1, 2])
