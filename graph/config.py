"""Settings from the environment (prefix ``ECOKG_``), read once; tests override ``get_settings``."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import BaseModel, Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Endpoint = Literal["query", "update", "store"]  # a SPARQL server's endpoints: queries, updates, Graph Store


class ApiKey(BaseModel):
    """One API key, stored as the hex sha256 of the secret (`ecokg key new` makes one)."""

    name: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$")
    sha256: str = Field(pattern=r"^[0-9a-f]{64}$")
    scopes: frozenset[Literal["read", "write"]] = frozenset({"read"})


class Settings(BaseSettings):
    """Everything a deployment may change. See `.env.example` for each one explained."""

    model_config = SettingsConfigDict(env_prefix="ECOKG_", env_file=".env", extra="ignore")

    store: str = "var/store"  # a directory (embedded Oxigraph); a URL is for the remote backend
    # a remote server that is not an Oxigraph server: its endpoint paths and credentials (docs/remote-engines.md)
    store_paths: dict[Endpoint, str] = {}
    store_user: str = ""
    store_password: SecretStr = SecretStr("")
    store_auth: Literal["basic", "digest"] = "basic"
    base_iri: str = "http://127.0.0.1:8000/"
    host: str = "127.0.0.1"
    port: int = 8000
    api_keys: list[ApiKey] = []  # JSON list; none = no writes over HTTP, public sources only
    query_timeout_s: float = 30.0  # the engine stops a query after this, and the API answers 503
    max_rows: int = 10_000  # a /sparql answer holds at most this many rows (stated when applied)
    max_body_mb: float = 25.0  # the largest request body (uploads included)
    cors_origins: list[str] = []  # browser origins allowed to call the API (JSON list); none = same origin
    rate_limit_per_minute: int = 600  # requests an anonymous client may make a minute (0: no limit)
    rate_limit_burst: int = 60  # ... of which at most this many at once
    warm_answers: bool = True  # `ecokg serve` computes the named queries' first pages after every write

    @field_validator("base_iri")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("ECOKG_BASE_IRI must be an http(s) IRI")
        return value if value.endswith("/") else value + "/"


@lru_cache
def get_settings() -> Settings:
    return Settings()
