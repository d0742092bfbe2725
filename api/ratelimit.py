"""Rate limiting of anonymous clients: a token bucket per client address (429 with Retry-After when empty).

Callers with an API key are not limited here (a key is a deployment's own decision to trust); /health and the
editor's static files are never limited. The buckets live in this process: one `ecokg serve` is one service.
"""

from __future__ import annotations

import math
import threading
import time

from starlette.types import ASGIApp, Receive, Scope, Send

_EXEMPT = ("/health", "/static/", "/favicon.ico")
_MAX_CLIENTS = 100_000  # forget idle buckets beyond this many, so that spoofed addresses cannot fill memory


class RateLimit:
    def __init__(self, app: ASGIApp, *, per_minute: int, burst: int) -> None:
        self.app = app
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self._buckets: dict[str, tuple[float, float]] = {}  # client -> (tokens, when)
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or self.rate <= 0 or _trusted(scope):
            await self.app(scope, receive, send)
            return
        client = (scope.get("client") or ("-", 0))[0]
        wait = self._take(client)
        if wait <= 0:
            await self.app(scope, receive, send)
            return
        retry = str(max(1, math.ceil(wait)))
        body = (f'{{"detail":"too many requests from {client}: at most {self.rate * 60:g} a minute without an '
                f'API key; retry in {retry} s"}}').encode()
        await send({"type": "http.response.start", "status": 429, "headers": [
            (b"content-type", b"application/json"), (b"retry-after", retry.encode()),
            (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def _take(self, client: str) -> float:
        """Take a token for `client`: 0 when there was one, else how long until there is."""
        now = time.monotonic()
        with self._lock:
            tokens, when = self._buckets.get(client, (self.burst, now))
            tokens = min(self.burst, tokens + (now - when) * self.rate)
            if len(self._buckets) >= _MAX_CLIENTS and client not in self._buckets:
                self._buckets.clear()
            if tokens >= 1:
                self._buckets[client] = (tokens - 1, now)
                return 0.0
            self._buckets[client] = (tokens, now)
            return (1 - tokens) / self.rate


def _trusted(scope: Scope) -> bool:
    path: str = scope["path"]
    if path.startswith(_EXEMPT):
        return True
    headers = dict(scope["headers"])
    return b"x-api-key" in headers or headers.get(b"authorization", b"")[:7].lower() == b"bearer "
