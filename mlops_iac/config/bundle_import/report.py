"""What an import did, field by field: translated, or reported for a person to decide."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..located import Location

TRANSLATED, REPORTED = "translated", "reported"


@dataclass(frozen=True, order=True)
class Note:
    location: Location
    path: str
    kind: str  # TRANSLATED or REPORTED
    message: str

    def render(self) -> str:
        return f"{self.location}: {self.path}: {self.message}"


@dataclass
class ImportReport:
    notes: list[Note] = field(default_factory=list)
    written: list[str] = field(default_factory=list)

    def translated(self, loc: Location, path: str, message: str) -> None:
        self.notes.append(Note(loc, path, TRANSLATED, message))

    def reported(self, loc: Location, path: str, message: str) -> None:
        self.notes.append(Note(loc, path, REPORTED, message))

    def of(self, kind: str) -> list[Note]:
        return sorted({n for n in self.notes if n.kind == kind})

    def render(self) -> str:
        lines = [f"wrote {path}" for path in self.written]
        reported = self.of(REPORTED)
        if reported:
            lines.append("not translated (decide and edit by hand):")
            lines += ["  " + n.render() for n in reported]
        lines.append(f"{len(self.of(TRANSLATED))} fields translated, {len(reported)} reported")
        return "\n".join(lines)
