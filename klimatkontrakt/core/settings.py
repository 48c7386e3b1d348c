"""Settings from one place: environment variables prefixed KLIMATKONTRAKT_ (or a .env file).

Everything an operator may tune lives here so that no stage reads os.environ itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError
from pydantic_settings import BaseSettings, SettingsConfigDict

from klimatkontrakt import __version__
from klimatkontrakt.core.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parents[2]


def usable_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform tells it)."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def _default_extract_processes() -> int:
    """One per core up to 4 (extraction is what a run spends its CPU on); none on a single core,
    where a worker would only compete with the crawl."""
    cores = usable_cores()
    return 0 if cores < 2 else min(cores, 4)


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="KLIMATKONTRAKT_", env_file=".env", extra="ignore")

    contact_url: str = "https://github.com/klimatkontrakt/klimatkontrakt"
    user_agent: str = ""  # empty: built from name, version and contact_url
    delay_seconds: float = 1.0  # per host, when robots.txt and the source say nothing
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 10 * 1024 * 1024
    max_pdf_bytes: int = 20 * 1024 * 1024  # a PDF's own cap: contracts with photos run to 10-15 MB
    max_retries: int = 4
    backoff_seconds: float = 1.0
    retry_after_cap: float = 120.0
    # pages of one host in a row without a usable answer (none, 429, 5xx; after their retries)
    # after which the host is not asked again in the run; 0: never give up
    host_failures: int = Field(default=5, ge=0)
    allow_private: bool = False
    shrink_threshold: float = 0.5  # share a table may shrink by before publishing stops
    task_runner: Literal["threads", "dask"] = "threads"  # dask needs the `dask` extra (prefect-dask)
    max_workers: int = 8  # sources (host groups) crawled at once
    # generated municipal sites (one host each) crawled side by side within one task, in threads: a
    # task per site would cost 290 task runs a night, and crawling waits on politeness, not CPU
    sites_per_task: int = Field(default=40, ge=1)
    # processes that extract a replay's pages while its crawl goes on (klimatkontrakt/runtime/workers.py); 0: none
    extract_processes: int = Field(default_factory=_default_extract_processes, ge=0)
    dask_address: str = ""  # a Dask scheduler; empty: a local cluster of max_workers processes
    notify_webhook: str = ""
    page_state_days: int = 180  # incremental state of a page not answered for this long is dropped
    fetch_log_days: int = Field(default=90, ge=1)  # `fetches` rows older than this are dropped from the database
    keep_releases: int = Field(default=0, ge=0)  # newest release folders kept whole (older: zip only); 0: all

    @classmethod
    def checked(cls) -> Settings:
        """The settings, or a ConfigError naming the first bad variable in one line."""
        try:
            return cls()
        except ValidationError as exc:
            error = exc.errors()[0]
            name = f"KLIMATKONTRAKT_{str(error['loc'][0]).upper()}" if error["loc"] else "a KLIMATKONTRAKT_ setting"
            raise ConfigError(f"{name}: {error['msg']}") from None

    @property
    def effective_user_agent(self) -> str:
        return self.user_agent or f"klimatkontrakt/{__version__} (+{self.contact_url})"
