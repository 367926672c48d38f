"""What a literal secret looks like: one detector for the config loader and the guardrails.

Plain Python, no dependencies, so both sides import it (configuration never imports guardrails).
A value is a secret by its shape (Databricks PATs, Azure storage keys and Entra client secrets,
GitHub / GitLab tokens, AWS keys, JWTs, PEM private keys, passwords in connection strings and
URLs, and base64-wrapped forms of all of these) or by the key that holds it (`client_secret`,
`AZURE_CLIENT_SECRET`, `password`, ..., in any case). Databricks secret references
`{{secrets/<scope>/<key>}}`, Terraform interpolations and placeholders are never secrets.
Findings carry a masked value only (first 4 characters and an ellipsis).
"""
from __future__ import annotations

import base64
import binascii
import functools
import re
from dataclasses import dataclass
from typing import Iterator, Optional

SECRET_REFERENCE = re.compile(r"\{\{\s*secrets/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+\s*\}\}")
_REFERENCE = re.compile(r"^(?:\$\{.*\}|\$[A-Za-z_][A-Za-z0-9_]*|\{[A-Za-z_][A-Za-z0-9_:.-]*\}|<[^>]*>|\*+|%[^%]+%)$",
                        re.S)

# (what, pattern, group holding the secret); patterns run on every string value.
VALUE_PATTERNS: tuple[tuple[str, re.Pattern, int], ...] = (
    ("Databricks personal access token", re.compile(r"(?<![A-Za-z0-9])(dapi[0-9a-f]{32}(?:-\d)?)(?![0-9a-f])", re.I), 1),
    ("Azure storage account key", re.compile(r"(?<![A-Za-z0-9+/])([A-Za-z0-9+/]{86}==)(?![A-Za-z0-9+/=])"), 1),
    ("Azure client secret", re.compile(r"(?<![A-Za-z0-9_~.-])([A-Za-z0-9_~.-]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])"), 1),
    ("GitHub token", re.compile(r"(?<![A-Za-z0-9_])(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,})"), 1),
    ("GitLab token", re.compile(r"(?<![A-Za-z0-9_])(glpat-[A-Za-z0-9_-]{20,})"), 1),
    ("AWS access key id", re.compile(r"(?<![A-Z0-9])((?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Z0-9])"), 1),
    ("JSON web token", re.compile(r"(?<![A-Za-z0-9_-])(eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,})"), 1),
    ("private key", re.compile(r"(-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----)"), 1),
    ("SAS token signature", re.compile(r"[?&](sig=[A-Za-z0-9%+/=]{20,})", re.I), 1),
    ("password in a URL", re.compile(r"\b[a-z][a-z0-9+.-]*://[^:/@\s]+:([^@/\s]+)@", re.I), 1),
)

# `password=...`, `AccountKey=...`, `export AZURE_CLIENT_SECRET=...`, `"client_secret": "..."`.
ASSIGNMENT = re.compile(
    r"(?i)(?<![A-Za-z0-9])([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|account_?key|api_?key|access_?key|"
    r"private_?key|shared_?access_?key))[\"']?\s*[=:]\s*[\"']?([^\s\"';&,}]+)")

# A key names a secret when it ends with one of these words (after lowercasing, separators -> _).
SECRET_KEY = re.compile(
    r"(?:^|_)(?:password|passwd|pwd|secret|client_secret|token|access_token|auth_token|api_key|apikey|access_key|"
    r"secret_key|account_key|private_key|sas_token|sas|string_value|connection_string|google_credentials|"
    r"credentials)$")
SECRET_KEY_ANYWHERE = re.compile(r"account_key|client_secret|password|secret_access_key|fs_azure_sas")

# A cheap superset of every pattern above: a text none of them can match holds no literal in its
# shape, so one C-level search lets most values (names, paths, references) skip the full scan.
# Each alternative is a literal every match of one pattern contains; keep it in step with them.
MAYBE_SECRET = re.compile(
    r"(?i)dapi|q~|gh[pousr]_|github_pat_|glpat-|akia|asia|eyj|private key|sig=|://"
    r"|pass|pwd|secret|token|key"  # ASSIGNMENT_WORD
    r"|[A-Za-z0-9+/_-]{24}")  # storage keys and base64-wrapped forms (BASE64_RUN)

# Every word ASSIGNMENT looks for contains one of these: its leading name run makes ASSIGNMENT
# costly on long texts, so it runs only on texts with one of the words.
ASSIGNMENT_WORD = re.compile(r"(?i)pass|pwd|secret|token|key")

BASE64_RUN = re.compile(r"(?<![A-Za-z0-9+/_-])[A-Za-z0-9+/_-]{24,}={0,2}")
MAX_DEPTH = 2
MIN_ASSIGNED = 6  # `secret: scope` in prose is no secret; `password=hunter2` is


@dataclass(frozen=True)
class SecretFinding:
    what: str
    masked: str
    line: int = 1  # within a multi-line value (scripts); 1 otherwise
    column: int = 1

    def describe(self) -> str:
        article = "an" if self.what[0].lower() in "aeiou" else "a"
        return f"{article} {self.what} ('{self.masked}')"


def mask(secret: str) -> str:
    return secret[:4] + "\u2026"


def is_reference(value: str) -> bool:
    """A secret reference, an interpolation or a placeholder: the value is not in the text."""
    text = value.strip()
    return bool(not text or SECRET_REFERENCE.search(text) or "${" in text or _REFERENCE.match(text))


@functools.lru_cache(maxsize=4096)
def is_secret_key(key: str) -> bool:
    normal = re.sub(r"[^a-z0-9]+", "_", key.lower()).strip("_")
    return bool(SECRET_KEY.search(normal) or SECRET_KEY_ANYWHERE.search(normal))


def _decoded(run: str) -> Optional[str]:
    for decode in (base64.b64decode, base64.urlsafe_b64decode):
        try:
            padded = run + "=" * (-len(run) % 4)
            text = decode(padded.encode()).decode("utf-8")
        except (binascii.Error, ValueError, UnicodeDecodeError):
            continue
        if text and all(ch.isprintable() or ch in "\r\n\t" for ch in text):
            return text
    return None


def _by_value(text: str, depth: int) -> Iterator[tuple[SecretFinding, int]]:
    if not MAYBE_SECRET.search(text):
        return
    for what, pattern, group in VALUE_PATTERNS:
        for match in pattern.finditer(text):
            secret = match.group(group)
            if not is_reference(secret) and not secret.startswith(("{{", "$")):
                yield SecretFinding(what, mask(secret)), match.start(group)
    for match in ASSIGNMENT.finditer(text) if ASSIGNMENT_WORD.search(text) else ():
        secret = match.group(2)
        if len(secret) >= MIN_ASSIGNED and not is_reference(secret) and not secret.startswith(("{{", "{", "$")):
            yield SecretFinding(f"literal {match.group(1)}", mask(secret)), match.start(2)
    if depth < MAX_DEPTH:
        for match in BASE64_RUN.finditer(text):
            inner = _decoded(match.group(0))
            for found, _ in _by_value(inner, depth + 1) if inner else ():
                yield SecretFinding(f"base64-wrapped {found.what}", mask(match.group(0))), match.start()


def find_secret(value: object, key: Optional[str] = None) -> Optional[SecretFinding]:
    """The first secret in one value (held under ``key``), or None."""
    if not isinstance(value, str):
        return None
    for found, _ in _by_value(value, 0) if MAYBE_SECRET.search(value) else ():
        return found
    if key is not None and is_secret_key(key) and not is_reference(value):
        return SecretFinding(f"literal value under '{key}'", mask(value.strip()))
    return None


def find_secrets_in_text(text: str) -> list[SecretFinding]:
    """Every secret in a file's text (init scripts), with its line and column."""
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.lstrip().startswith("#") and "PRIVATE KEY" not in line:
            continue
        for finding, column in _by_value(line, 0):
            found.append(SecretFinding(finding.what, finding.masked, number, column + 1))
            break  # one finding per line
    return found
