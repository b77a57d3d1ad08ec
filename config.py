"""Settings from the environment (``LAGESBILD_*``), validated, with no I/O at import.

>>> s = load_settings({"LAGESBILD_PORT": "9000"})
>>> s.port
9000
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent
AUTH_MODES = ("local", "header", "none")


class ConfigError(ValueError):
    """A setting in the environment is invalid."""


@dataclass(frozen=True)
class Settings:
    """Validated runtime settings."""

    database_url: str
    data_dir: Path | None
    host: str
    port: int
    redis_url: str | None
    auth: str
    tile_url: str | None
    instance_dir: Path
    secret_key: str | None
    trusted_proxies: tuple[str, ...]
    session_minutes: int
    auth_header: str = "X-Remote-User"  # LAGESBILD_AUTH=header: the user name set by the proxy
    tile_attribution: str | None = None

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


def _default_data_dir() -> Path | None:
    candidate = PROJECT_ROOT.parent / "shared" / "data"
    return candidate if candidate.is_dir() else None


def _tile_url(url: str | None) -> str | None:
    """An XYZ tile URL template (``http(s)://host/…/{z}/{x}/{y}.png``, ``{s}`` allowed) or None."""
    if url is None:
        return None
    url = url.strip()
    if not url.startswith(("http://", "https://")) or not all(k in url for k in ("{z}", "{x}", "{y}")):
        raise ConfigError(f"LAGESBILD_TILE_URL={url!r}: expected an XYZ template such as "
                          "https://karta.example.se/tiles/{z}/{x}/{y}.png")
    return url


def load_settings(env: Mapping[str, str] | None = None) -> Settings:
    """Read and validate settings from ``env`` (default: ``os.environ``)."""
    env = os.environ if env is None else env
    instance_dir = Path(env.get("LAGESBILD_INSTANCE_DIR", PROJECT_ROOT / "instance"))
    db_url = env.get("LAGESBILD_DATABASE_URL") or f"sqlite:///{instance_dir / 'lagesbild.sqlite'}"
    if not (db_url.startswith("sqlite") or db_url.startswith("postgresql")):
        raise ConfigError(
            f"LAGESBILD_DATABASE_URL={db_url!r}: expected sqlite:///PATH or postgresql+psycopg://…"
        )
    data_dir_raw = env.get("LAGESBILD_DATA_DIR")
    data_dir = Path(data_dir_raw).expanduser().resolve() if data_dir_raw else _default_data_dir()
    port_raw = env.get("LAGESBILD_PORT", "8050")
    try:
        port = int(port_raw)
    except ValueError as exc:
        raise ConfigError(f"LAGESBILD_PORT={port_raw!r} is not a port number") from exc
    if not 0 < port < 65536:
        raise ConfigError(f"LAGESBILD_PORT={port} is outside 1–65535")
    auth = env.get("LAGESBILD_AUTH", "none")
    if auth not in AUTH_MODES:
        raise ConfigError(f"LAGESBILD_AUTH={auth!r}: expected one of {', '.join(AUTH_MODES)}")
    proxies = tuple(p.strip() for p in env.get("LAGESBILD_TRUSTED_PROXIES", "127.0.0.1").split(",") if p.strip())
    tile_url = _tile_url(env.get("LAGESBILD_TILE_URL") or None)
    minutes_raw = env.get("LAGESBILD_SESSION_MINUTES", "480")
    try:
        session_minutes = int(minutes_raw)
    except ValueError as exc:
        raise ConfigError(f"LAGESBILD_SESSION_MINUTES={minutes_raw!r} is not a number") from exc
    return Settings(
        database_url=db_url,
        data_dir=data_dir,
        host=env.get("LAGESBILD_HOST", "127.0.0.1"),
        port=port,
        redis_url=env.get("LAGESBILD_REDIS_URL") or None,
        auth=auth,
        tile_url=tile_url,
        tile_attribution=(env.get("LAGESBILD_TILE_ATTRIBUTION") or "").strip() or None,
        instance_dir=instance_dir,
        secret_key=env.get("LAGESBILD_SECRET_KEY") or None,
        trusted_proxies=proxies,
        session_minutes=session_minutes,
        auth_header=env.get("LAGESBILD_AUTH_HEADER", "X-Remote-User").strip() or "X-Remote-User",
    )


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings of this process (read once; ``settings.cache_clear()`` in tests)."""
    return load_settings()
