"""Diagnostics: every config problem of a run, collected and reported together.

Format (one per problem, sorted by file, line and column):
    envs/prod.yaml:14:3: storage.account: 'St_Prod' is not a valid storage account name
      (expected 3-24 lowercase letters and digits)
      did you mean 'stprod'?

A problem found in an environment's merged settings but located in a shared file
(envs/defaults.yaml) names its environment, once per environment:
    envs/defaults.yaml:16:3: storage.replication: string 'XRS' is not allowed (in environment qa)

Error text is safe to print in CI logs whatever the input (safe_text): quoted values longer than
80 characters are cut (with their length), control characters and ANSI escapes are shown escaped,
secret-looking values (mlops_iac.provider_facts.secret_patterns) and every quoted value of a secret-looking
key are masked (first 4 characters and an ellipsis).
"""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Optional

from mlops_iac.provider_facts.secret_patterns import ASSIGNMENT, BASE64_RUN, VALUE_PATTERNS, find_secret, is_reference, \
    is_secret_key, mask

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
        secret_key = _last_key(self.path)
        text = f"{safe_text(str(self.location))}: {safe_text(self.path)}: {safe_text(self.message, secret_key)}"
        if self.environment:
            text += f" (in environment {safe_text(self.environment)})"
        if self.expected:
            text += f"\n  (expected {safe_text(self.expected)})"
        if self.suggestion:
            text += f"\n  did you mean '{safe_text(self.suggestion)}'?"
        return text


MAX_VALUE = 80  # characters of one quoted value in a message
MAX_TEXT = 1000  # characters of one message, path or expectation
_QUOTED = re.compile(r"'([^']*)'")
# every control character, line breaks included (a value must not fake a diagnostic line of its
# own), and the bidirectional overrides that reorder what a terminal shows
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")


def _last_key(path: str) -> Optional[str]:
    """The key a diagnostic's path ends with, when it names a secret (`...spark_env_vars.API_TOKEN`)."""
    last = re.split(r"[.\[\]]", path.rstrip("]"))[-1] if path else ""
    return last if last and is_secret_key(last) else None


def _mask_secrets(text: str) -> str:
    spans = []
    for _, pattern, group in VALUE_PATTERNS:
        spans += [match.span(group) for match in pattern.finditer(text)]
    spans += [match.span(2) for match in ASSIGNMENT.finditer(text)
              if len(match.group(2)) >= 6 and not is_reference(match.group(2))]
    spans += [match.span() for match in BASE64_RUN.finditer(text) if find_secret(match.group(0))]
    for start, end in sorted(spans, reverse=True):
        if not is_reference(text[start:end]) and "\u2026" not in text[start:end]:
            text = text[:start] + mask(text[start:end]) + text[end:]
    return text


def _escape(match: re.Match) -> str:
    code = ord(match.group(0))
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else f"{text[:limit]}\u2026 ({len(text)} characters)"


def safe_text(text: str, secret_key: Optional[str] = None) -> str:
    """Text fit for a CI log: secrets masked, long quoted values cut, control characters escaped.
    ``secret_key``: the value's key names a secret, so every quoted value but the key is masked."""
    def quoted(match: re.Match) -> str:
        value = match.group(1)
        if secret_key and not value.endswith((secret_key, "\u2026")) and not is_reference(value):
            return f"'{mask(value)}'"
        return f"'{_cut(value, MAX_VALUE)}'"
    text = _QUOTED.sub(quoted, _mask_secrets(text))
    return _cut(_CONTROL.sub(_escape, text), MAX_TEXT)


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
