"""The thinnest Python HTTP layer in front of a SPARQL engine, for bench/serve.py: each request goes on to the
engine as it came (method, query string, body, Content-Type and Accept) and the engine's answer comes back.

Run as `ecokg serve` runs (uvicorn with uvloop and httptools, an async keep-alive client to the engine), its
latency over the engine's is the floor for a Python service built from the same parts, whatever it does.
ecokg's /sparql is measured against it: the difference is what ecokg's own layer costs.

    ECOKG_BENCH_PROXY_TARGET=http://127.0.0.1:7878/query uvicorn bench.proxy:app --port 8001
"""

from __future__ import annotations

import os

import httpx
from starlette.types import Receive, Scope, Send

TARGET = os.environ.get("ECOKG_BENCH_PROXY_TARGET", "")
_FORWARDED = (b"content-type", b"accept")


async def app(scope: Scope, receive: Receive, send: Send) -> None:
    if scope["type"] == "lifespan":
        while (await receive())["type"] != "lifespan.shutdown":
            await send({"type": "lifespan.startup.complete"})
        await send({"type": "lifespan.shutdown.complete"})
        return
    body, more = b"", True
    while more:
        message = await receive()
        body += message.get("body", b"")
        more = message.get("more_body", False)
    query = scope["query_string"].decode("latin-1")
    answer = await _engine().request(scope["method"], f"{TARGET}?{query}" if query else TARGET, content=body,
                                     headers=[(k, v) for k, v in scope["headers"] if k in _FORWARDED])
    kind = answer.headers.get("content-type", "application/octet-stream").encode("latin-1")
    await send({"type": "http.response.start", "status": answer.status_code, "headers": [(b"content-type", kind)]})
    await send({"type": "http.response.body", "body": answer.content})


_client: list[httpx.AsyncClient] = []


def _engine() -> httpx.AsyncClient:
    """One client for the process, made in its event loop."""
    if not _client:
        _client.append(httpx.AsyncClient(timeout=120))
    return _client[0]
