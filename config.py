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
    session_idle_minutes: int = 30  # LAGESBILD_SESSION_IDLE_MINUTES: a session unused this long ends
    trusted_proxies_set: bool = False  # LAGESBILD_TRUSTED_PROXIES given explicitly (not the default)
    header_secret: str | None = None  # LAGESBILD_HEADER_SECRET: the proxy proves itself with it
    header_secret_header: str = "X-Lagesbild-Proxy-Secret"  # LAGESBILD_HEADER_SECRET_HEADER
    import_max_mb: float = 500.0  # LAGESBILD_IMPORT_MAX_MB: larger import files are refused

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
    session_minutes = _positive_int(env, "LAGESBILD_SESSION_MINUTES", 480)
    idle_minutes = _positive_int(env, "LAGESBILD_SESSION_IDLE_MINUTES", 30)
    max_mb_raw = env.get("LAGESBILD_IMPORT_MAX_MB", "500")
    try:
        import_max_mb = float(max_mb_raw)
    except ValueError as exc:
        raise ConfigError(f"LAGESBILD_IMPORT_MAX_MB={max_mb_raw!r} is not a number (megabytes)") from exc
    if not import_max_mb > 0:
        raise ConfigError(f"LAGESBILD_IMPORT_MAX_MB={max_mb_raw!r} must be positive")
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
        session_idle_minutes=idle_minutes,
        trusted_proxies_set=bool(env.get("LAGESBILD_TRUSTED_PROXIES", "").strip()),
        header_secret=env.get("LAGESBILD_HEADER_SECRET") or None,
        header_secret_header=(env.get("LAGESBILD_HEADER_SECRET_HEADER", "").strip()
                              or "X-Lagesbild-Proxy-Secret"),
        import_max_mb=import_max_mb,
    )


def _positive_int(env: Mapping[str, str], name: str, default: int) -> int:
    raw = env.get(name, str(default))
    try:
        value = int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name}={raw!r} is not a number (minutes)") from exc
    if value <= 0:
        raise ConfigError(f"{name}={raw!r} must be a positive number of minutes")
    return value


@lru_cache(maxsize=1)
def settings() -> Settings:
    """Settings of this process (read once; ``settings.cache_clear()`` in tests)."""
    return load_settings()
