"""Diagnostics: every config problem of a run, collected and reported together.

Format (one per problem, sorted by file, line and column):
    envs/prod.yaml:14:3: storage.account: 'St_Prod' is not a valid storage account name
      (expected 3-24 lowercase letters and digits)
      did you mean 'stprod'?

A problem found in an environment's merged settings but located in a shared file
(envs/defaults.yaml) names its environment, once per environment:
    envs/defaults.yaml:16:3: storage.replication: string 'XRS' is not allowed (in environment qa)
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .located import Location


@dataclass(frozen=True)
class Diagnostic:
    location: "Location"
    path: str
    message: str
    expected: Optional[str] = None
    suggestion: Optional[str] = None
    severity: str = "error"
    # The environment whose merged settings raised it, when the location alone does not say so.
    environment: Optional[str] = None

    def render(self) -> str:
        text = f"{self.location}: {self.path}: {self.message}"
        if self.environment:
            text += f" (in environment {self.environment})"
        if self.expected:
            text += f"\n  (expected {self.expected})"
        if self.suggestion:
            text += f"\n  did you mean '{self.suggestion}'?"
        return text


def closest(word: str, candidates: Iterable[str]) -> Optional[str]:
    """The closest valid spelling of a mistyped word, or None when nothing is close."""
    options = sorted(set(candidates))
    word = str(word)
    folded = [o for o in options if o.lower() == word.lower()]
    if folded:
        return folded[0]
    prefixed = [o for o in options if word and o.lower().startswith(word.lower())]
    if len(prefixed) == 1:
        return prefixed[0]
    matches = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return matches[0] if matches else None


def sort_key(diagnostic: Diagnostic) -> tuple:
    """File, line, column first; every other field breaks ties so the order never depends on
    the order in which checks ran."""
    loc = diagnostic.location
    return (loc.file, loc.line, loc.column, diagnostic.path, diagnostic.message,
            diagnostic.environment or "", diagnostic.expected or "", diagnostic.suggestion or "",
            diagnostic.severity)


class ConfigError(Exception):
    """Raised once per run with every diagnostic found, never for the first one alone.

    Only identical diagnostics collapse (the same spec problem met while deploying a project to
    several environments); two environments' diagnostics differ by their environment."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.diagnostics = sorted(set(diagnostics), key=sort_key)
        super().__init__(self.render())

    def render(self) -> str:
        lines = [d.render() for d in self.diagnostics]
        count = len(self.diagnostics)
        lines.append(f"{count} error{'s' if count != 1 else ''}; nothing written")
        return "\n".join(lines)
