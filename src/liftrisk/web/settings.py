"""Settings of the web app (one frozen dataclass, loaded once from the environment).

=========================  ===========================================  ==============
variable                   meaning                                      default
=========================  ===========================================  ==============
LIFTRISK_TOKEN             access token required by every page          none (local)
LIFTRISK_MAX_UPLOAD_MB     largest accepted upload, MB (10^6 bytes)     500
LIFTRISK_WORKERS           worker processes running assessments         2
LIFTRISK_EXECUTOR          ``process`` (default) or ``thread``          process
LIFTRISK_RUNNER            ``module:function`` of the runner            the pipeline
LIFTRISK_ALLOWED_HOSTS     host names the server answers to, besides    none
                           127.0.0.1, localhost and ::1 (comma list)
LIFTRISK_SESSION_HOURS     lifetime of a sign-in session cookie, h      12
LIFTRISK_SETTINGS          assessment settings file (TOML) of uploads   none (defaults)
LIFTRISK_DATA_DIR / LIFTRISK_DATABASE_URL: see `liftrisk.store.settings`.
=========================  ===========================================  ==============
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from pathlib import Path

from liftrisk.batch.runner import DEFAULT_RUNNER
from liftrisk.core.limits import MAX_UPLOAD_MB_DEFAULT
from liftrisk.errors import LiftriskError
from liftrisk.io.settings import read_settings_file
from liftrisk.store import StoreSettings

#: names of this computer: always allowed in the Host header
LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass(frozen=True)
class WebSettings:
    """Configuration of one web app instance.

    Examples
    --------
    >>> s = WebSettings.from_env(environ={"LIFTRISK_MAX_UPLOAD_MB": "20"})
    >>> s.max_upload_bytes, s.token
    (20000000, None)
    """

    store: StoreSettings = field(default_factory=StoreSettings.from_env)
    token: str | None = None
    max_upload_mb: float = MAX_UPLOAD_MB_DEFAULT
    workers: int = 2
    executor: str = "process"
    runner: str = DEFAULT_RUNNER
    allowed_hosts: tuple[str, ...] = ()
    session_max_age_s: float = 12 * 3600.0
    #: project settings file of every upload (`liftrisk.io.settings`); the form's fields win
    settings_file: Path | None = None

    def __post_init__(self) -> None:
        if self.executor not in ("process", "thread"):
            raise LiftriskError(f"executor is {self.executor!r}; expected 'process' or 'thread'")
        if not self.workers >= 1:
            raise LiftriskError(f"workers is {self.workers}; expected at least 1")
        if not self.max_upload_mb > 0:
            raise LiftriskError(f"max_upload_mb is {self.max_upload_mb}; expected a positive size in MB")
        if not self.session_max_age_s > 0:
            raise LiftriskError(f"session_max_age_s is {self.session_max_age_s}; expected a positive time in s")
        object.__setattr__(self, "allowed_hosts", tuple(str(h).strip() for h in self.allowed_hosts if str(h).strip()))
        if self.settings_file is not None:
            read_settings_file(self.settings_file)  # a bad settings file stops the server at start, not an upload
        if self.token is not None and len(self.token) < 8:
            raise LiftriskError("the access token is shorter than 8 characters; use a long random token "
                                "(e.g. python -c 'import secrets; print(secrets.token_urlsafe())')")

    @property
    def max_upload_bytes(self) -> int:
        """Upload limit in bytes."""
        return int(self.max_upload_mb * 1_000_000)

    @property
    def hosts(self) -> tuple[str, ...]:
        """Host names accepted in the Host header: this computer's plus `allowed_hosts`."""
        return LOCAL_HOSTS + self.allowed_hosts

    @classmethod
    def from_env(cls, environ=None, **overrides) -> WebSettings:
        """Settings from ``LIFTRISK_*`` environment variables; keyword overrides win when not None."""
        env = os.environ if environ is None else environ
        try:
            s = cls(store=StoreSettings.from_env(env), token=env.get("LIFTRISK_TOKEN") or None,
                    max_upload_mb=float(env.get("LIFTRISK_MAX_UPLOAD_MB", MAX_UPLOAD_MB_DEFAULT)),
                    allowed_hosts=tuple(env.get("LIFTRISK_ALLOWED_HOSTS", "").split(",")),
                    session_max_age_s=3600.0 * float(env.get("LIFTRISK_SESSION_HOURS", 12)),
                    workers=int(env.get("LIFTRISK_WORKERS", 2)),
                    executor=env.get("LIFTRISK_EXECUTOR", "process"),
                    runner=env.get("LIFTRISK_RUNNER", DEFAULT_RUNNER),
                    settings_file=Path(env["LIFTRISK_SETTINGS"]) if env.get("LIFTRISK_SETTINGS") else None)
        except ValueError as exc:
            if isinstance(exc, LiftriskError):
                raise
            raise LiftriskError(f"a LIFTRISK_* setting is not a number: {exc}") from None
        extra = overrides.pop("allowed_hosts", None)
        s = replace(s, **{k: v for k, v in overrides.items() if v is not None})
        return replace(s, allowed_hosts=s.allowed_hosts + tuple(extra)) if extra else s


__all__ = ["WebSettings", "LOCAL_HOSTS"]
