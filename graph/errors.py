"""ecokg's errors: a small hierarchy, mapped to exit codes and HTTP statuses in one place (api/)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


class EcokgError(Exception):
    """Base of every error ecokg raises on purpose."""


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, where a person can find it."""

    file: str
    row: str  # the CSV line number, or 'Sheet!12' as Excel shows it; '-' when no row applies
    column: str  # the column as written in the file's header; '-' when no column applies
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.row}:{self.column}: {self.reason}"


class LoadError(EcokgError):
    """An input file was refused; nothing was written. Carries every problem found in one pass."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        shown = "\n".join(str(p) for p in self.problems[:200])
        more = len(self.problems) - 200
        super().__init__(shown + (f"\n... and {more} more problems" if more > 0 else ""))


class StoreLocked(EcokgError):
    """The store is open for writing in another process (e.g. `ecokg serve`)."""


class UnknownSource(EcokgError):
    """A source name that no load ever created."""


class ShapeViolation(EcokgError):
    """Data that breaks a SHACL constraint checked at load time."""


class QueryNotFound(EcokgError):
    """No named query of that name."""


class InvalidParameter(EcokgError):
    """A named query's parameter that is missing, unknown, or not of its type."""


class QueryTimeout(EcokgError):
    """The engine stopped a query at the time limit; no partial answer is given."""


class StoreUnavailable(EcokgError):
    """The SPARQL engine behind the store cannot be reached or failed."""
