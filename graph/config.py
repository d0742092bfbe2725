"""Settings from the environment (prefix ``ECOKG_``), read once; tests override ``get_settings``."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Everything a deployment may change. See `.env.example` for each one explained."""

    model_config = SettingsConfigDict(env_prefix="ECOKG_", env_file=".env", extra="ignore")

    store: str = "var/store"  # a directory (embedded Oxigraph); a URL is for the remote backend
    base_iri: str = "http://127.0.0.1:8000/"
    environment: Literal["development", "production"] = "development"
    host: str = "127.0.0.1"
    port: int = 8000
    api_key_sha256: str = ""  # hex sha256 of the write API key; empty = writes disabled over HTTP
    query_timeout_s: float = 30.0

    @field_validator("base_iri")
    @classmethod
    def _ends_with_slash(cls, value: str) -> str:
        if not value.startswith(("http://", "https://")):
            raise ValueError("ECOKG_BASE_IRI must be an http(s) IRI")
        return value if value.endswith("/") else value + "/"

    @model_validator(mode="after")
    def _safe_outside_development(self) -> Settings:
        beyond_loopback = self.host not in ("127.0.0.1", "localhost", "::1")
        if self.environment == "production" and beyond_loopback and not self.api_key_sha256:
            raise ValueError("ECOKG_API_KEY_SHA256 is required when serving beyond loopback in production")
        return self


@lru_cache
def get_settings() -> Settings:
    return Settings()
