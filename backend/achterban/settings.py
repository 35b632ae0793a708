"""One frozen settings object, read once from ``ACHTERBAN_*`` environment variables."""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
DEV_SECRET = "dev-only-secret-change-me"


@dataclass(frozen=True, slots=True)
class Settings:
    env: str
    database_url: str
    redis_url: str | None
    secret_key: str
    audit_key: str  # keys the audit chain and its hashed values; the database never holds it
    migrate_database_url: str | None  # the owner's URL for migrations (the app's role if unset)
    log_format: str
    spa_dir: Path
    var_dir: Path
    outbox_dir: Path
    migrations_dir: Path
    campaigns_dir: Path
    session_hours: int
    max_body_bytes: int
    cookie_secure: bool
    login_max_failures: int
    job_queue: str
    dedupe_delay_seconds: int  # a scan for duplicates waits this long for more changes
    job_heartbeat_seconds: float  # a running job shows it is alive this often
    job_stale_seconds: float  # a running job silent this long lost its worker
    job_lost_seconds: float  # a job waiting this long and not on the queue lost its wake-up
    job_sweep_seconds: int  # the sweeper looks for both this often
    # proxies whose X-Forwarded-For names the client (IPs or networks, comma-separated);
    # none by default, so no one can set the IP that the audit and per-IP limits use
    trusted_proxies: tuple[str, ...] = ()
    # origins whose pages may frame the embeddable case form (/form/embed), space-separated;
    # none by default, so no page may frame it
    form_frame_ancestors: tuple[str, ...] = ()

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")

    @property
    def is_production(self) -> bool:
        return self.env == "production"


def _env(name: str, default: str | None = None) -> str | None:
    value = os.environ.get(f"ACHTERBAN_{name}")
    return value if value not in (None, "") else default


_ORIGIN = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")


def frame_ancestors(value: str) -> tuple[str, ...]:
    """Origins (``https://host[:port]``, space-separated) that may frame the case form.

    Each goes into a content security policy as it is, so anything but a plain origin
    (a path, a wildcard, a quote or a semicolon) is refused rather than passed on.
    """
    origins = tuple(value.split())
    for origin in origins:
        if not _ORIGIN.fullmatch(origin):
            raise RuntimeError(
                f"ACHTERBAN_FORM_FRAME_ANCESTORS: {origin!r} is not an origin "
                "such as https://www.example.org"
            )
    return origins


def load_settings() -> Settings:
    env = _env("ENV", "development") or "development"
    var_dir = Path(_env("VAR_DIR", str(REPO_ROOT / "var")) or "var")
    secret = _env("SECRET_KEY", DEV_SECRET) or DEV_SECRET
    if env == "production" and secret == DEV_SECRET:
        raise RuntimeError("ACHTERBAN_SECRET_KEY must be set in production")
    audit_key = _env("AUDIT_KEY")
    if env == "production" and not audit_key:
        raise RuntimeError("ACHTERBAN_AUDIT_KEY must be set in production")
    if not audit_key:  # development and tests: derived, so one secret is enough there
        audit_key = hmac.new(secret.encode(), b"achterban audit key", hashlib.sha256).hexdigest()
    return Settings(
        env=env,
        database_url=_env("DATABASE_URL", f"sqlite:///{var_dir / 'achterban.sqlite3'}") or "",
        redis_url=_env("REDIS_URL"),
        secret_key=secret,
        audit_key=audit_key,
        migrate_database_url=_env("MIGRATE_DATABASE_URL"),
        log_format=_env("LOG_FORMAT", "json" if env == "production" else "text") or "text",
        spa_dir=Path(_env("SPA_DIR", str(REPO_ROOT / "frontend" / "dist")) or ""),
        var_dir=var_dir,
        outbox_dir=Path(_env("OUTBOX_DIR", str(var_dir / "outbox")) or ""),
        migrations_dir=Path(_env("MIGRATIONS_DIR", str(REPO_ROOT / "migrations")) or ""),
        campaigns_dir=Path(_env("CAMPAIGNS_DIR", str(REPO_ROOT / "campaigns")) or ""),
        session_hours=int(_env("SESSION_HOURS", "12") or 12),
        max_body_bytes=int(_env("MAX_BODY_BYTES", str(1024 * 1024)) or 0),
        cookie_secure=(_env("COOKIE_SECURE", "1" if env == "production" else "0") == "1"),
        login_max_failures=int(_env("LOGIN_MAX_FAILURES", "5") or 5),
        job_queue=_env("JOB_QUEUE", "achterban:queue") or "achterban:queue",
        dedupe_delay_seconds=int(_env("DEDUPE_DELAY", "30") or 0),
        job_heartbeat_seconds=float(_env("JOB_HEARTBEAT", "10") or 10),
        job_stale_seconds=float(_env("JOB_STALE", "60") or 60),
        job_lost_seconds=float(_env("JOB_LOST", "60") or 60),
        job_sweep_seconds=int(_env("JOB_SWEEP", "60") or 60),
        trusted_proxies=tuple(
            part.strip() for part in (_env("TRUSTED_PROXIES", "") or "").split(",") if part.strip()
        ),
        form_frame_ancestors=frame_ancestors(_env("FORM_FRAME_ANCESTORS", "") or ""),
    )


@functools.cache
def get_settings() -> Settings:
    return load_settings()
