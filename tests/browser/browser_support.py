"""What the browser tests share besides fixtures: a live server's handle, and what a page did."""

from __future__ import annotations

from dataclasses import dataclass, field

from graph.sources import Sources


@dataclass(frozen=True)
class Live:
    """A running server: its URL (also its base IRI, so entity IRIs are links to it) and its sources."""

    url: str
    sources: Sources


@dataclass
class Traffic:
    """What a page asked for, and what went wrong in it: every request URL, console errors, script errors."""

    origin: str
    urls: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def elsewhere(self) -> list[str]:
        """The requests that left the server (a data: URL never leaves the page)."""
        return [u for u in self.urls if not u.startswith((self.origin + "/", "data:"))]
