"""Files the pages load from this server, never from a CDN: vendored libraries (their READMEs say from
where) and the pages' own scripts, in api/static/{folder}/.

Only the files a folder lists are served: any other name is a 404, whatever it holds (no path leads
elsewhere). Pages link them with a hash of their content in the URL, so browsers may keep them for a year
and fetch new ones as soon as they change.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from functools import cached_property
from pathlib import Path

from fastapi import HTTPException
from fastapi.responses import FileResponse

STATIC = Path(__file__).parent / "static"
JS = "text/javascript; charset=utf-8"
CSS = "text/css; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
_CACHE = {"Cache-Control": "public, max-age=31536000, immutable"}


class Assets:
    """The files of one folder of api/static that may be served, with their media types."""

    def __init__(self, folder: str, files: Mapping[str, str]) -> None:
        self.folder, self.files = folder, dict(files)

    @cached_property
    def version(self) -> str:
        """A hash of the files' content."""
        digest = hashlib.sha256()
        for name in sorted(self.files):
            digest.update((STATIC / self.folder / name).read_bytes())
        return digest.hexdigest()[:12]

    def url(self, name: str) -> str:
        assert name in self.files, name
        return f"/static/{self.folder}/{name}?v={self.version}"

    def response(self, name: str) -> FileResponse:
        if name not in self.files:
            raise HTTPException(status_code=404, detail=f"no file '{name}' here")
        return FileResponse(STATIC / self.folder / name, media_type=self.files[name], headers=_CACHE)
