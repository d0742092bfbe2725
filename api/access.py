"""Who is asking: API keys (sent as `Authorization: Bearer KEY` or `X-API-Key: KEY`) and their scopes.

Keys are configured hashed (ECOKG_API_KEYS); a presented key is hashed and compared with every
configured one in constant time. No key means anonymous: public sources only, no writes. A key that
matches nothing is refused (403) rather than quietly treated as anonymous.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

from fastapi import HTTPException, Request

from graph.config import ApiKey, Settings
from graph.sources import Sources


@dataclass(frozen=True)
class Principal:
    name: str
    scopes: frozenset[str]

    @property
    def restricted(self) -> bool:
        """Whether this caller may see restricted sources (pole project lists...)."""
        return "read" in self.scopes


ANONYMOUS = Principal("anonymous", frozenset())


def new_key() -> tuple[str, str]:
    """A fresh secret and its hex sha256 (what ECOKG_API_KEYS holds)."""
    secret = secrets.token_urlsafe(32)
    return secret, hashlib.sha256(secret.encode()).hexdigest()


def identify(presented: str | None, keys: list[ApiKey]) -> Principal | None:
    """The principal a presented key stands for; ANONYMOUS without a key, None for an unknown key."""
    if not presented:
        return ANONYMOUS
    digest = hashlib.sha256(presented.encode()).hexdigest()
    found = None
    for key in keys:  # every key compared, so that timing tells nothing about which one matched
        if hmac.compare_digest(digest, key.sha256):
            found = Principal(key.name, frozenset(key.scopes))
    return found


def _presented(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    if auth[:7].lower() == "bearer ":
        return auth[7:].strip()
    return request.headers.get("x-api-key")


def settings_of(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def sources_of(request: Request) -> Sources:
    sources: Sources = request.app.state.sources
    return sources


def reader(request: Request) -> Principal:
    """Dependency of every read path: anonymous, or a known key (403 for an unknown one)."""
    principal = identify(_presented(request), settings_of(request).api_keys)
    if principal is None:
        raise HTTPException(403, "unknown API key")
    return principal


def writer(request: Request) -> Principal:
    """Dependency of every write path: 401 without a key, 403 with a wrong one or one without 'write'."""
    keys = settings_of(request).api_keys
    if not keys:
        raise HTTPException(403, "writes are disabled: no API key is configured (ECOKG_API_KEYS)")
    principal = identify(_presented(request), keys)
    if principal is ANONYMOUS:
        raise HTTPException(401, "this operation needs an API key with the 'write' scope",
                            headers={"WWW-Authenticate": "Bearer"})
    if principal is None:
        raise HTTPException(403, "unknown API key")
    if "write" not in principal.scopes:
        raise HTTPException(403, f"the key '{principal.name}' has no 'write' scope")
    return principal
