"""Literal secrets in configuration, found at load time at the line that holds them.

Scans environment values (every bound setting), project.yaml (variables, overrides), every spec
value and the init scripts before they are uploaded. The detector is shared with the guardrails
(mlops_iac.provider_facts.secret_patterns); a finding never echoes the secret and suggests the Databricks
secret reference `{{secrets/<scope>/<key>}}` with the environment's Key Vault-backed scope.
"""
from __future__ import annotations

import dataclasses
import json
from typing import Any, Iterable, Optional

from mlops_iac.provider_facts.specs import KEYED_LISTS
from mlops_iac.provider_facts.secret_patterns import SecretFinding, find_secret, find_secrets_in_text

from .binder import Locations, render_path
from .diagnostics import Diagnostic
from .located import LMap, LNode, LScalar, LSeq, Location

DEFAULT_SCOPE = "<scope>"
HOLDER_KEYS = ("value", "values", "defaultValue", "default")


def advice(scope: Optional[str]) -> str:
    return (f"a secret reference {{{{secrets/{scope or DEFAULT_SCOPE}/<key>}}}} with the value stored in the "
            "Key Vault behind the secret scope, never the secret itself")


def _message(found: SecretFinding) -> str:
    return f"literal secret: this looks like {found.describe()}"


def scan_node(node: Optional[LNode], scope: Optional[str], path: tuple = ()) -> list[Diagnostic]:
    """Every literal secret in a located YAML tree (a spec or project.yaml)."""
    return diagnostics(find_in_node(node, path), scope)


SecretHit = tuple[Location, str, SecretFinding]  # where, rendered key path, what


def find_in_node(node: Optional[LNode], path: tuple = ()) -> list[SecretHit]:
    """The literal secrets of a located tree, independent of the environment (only the advice
    names its secret scope): a project's files are scanned once, not once per environment."""
    found: list[SecretHit] = []

    def walk(current: LNode, where: tuple, key: Optional[str]) -> None:
        if isinstance(current, LMap):
            named = _named(current)  # {name: db_password, default: ...}: the value is held under its name
            for name, entry in current.entries.items():
                walk(entry.value, where + (name,), named if named and name in ("default", "value") else name)
        elif isinstance(current, LSeq):
            label = KEYED_LISTS.get(key or "")
            for i, item in enumerate(current.items):
                named = _named(item, label) if label and isinstance(item, LMap) else None
                walk(item, where[:-1] + (f"{where[-1]}[{named}]",) if named else where + (i,), key)
        elif isinstance(current, LScalar):
            secret = find_secret(current.value, key)
            if secret is not None:
                found.append((current.loc, render_path(where), secret))

    if node is not None:
        walk(node, path, None)
    return found


def diagnostics(hits: Iterable[SecretHit], scope: Optional[str]) -> list[Diagnostic]:
    return [Diagnostic(loc, where, _message(secret), advice(scope)) for loc, where, secret in hits]


def _named(node: LMap, *keys: str) -> Optional[str]:
    for key in keys or ("name", "key"):  # the first of them that is present
        entry = node.entries.get(key)
        if entry is not None:
            value = entry.value
            return value.value if isinstance(value, LScalar) and isinstance(value.value, str) else None
    return None


def scan_script(text: str, display: str, scope: Optional[str]) -> list[Diagnostic]:
    """Literal secrets in a script's text, at the script's own line and column."""
    return [Diagnostic(Location(display, s.line, s.column), "(script)", _message(s),
                       advice(scope) + "; read it at run time, e.g. from an environment variable "
                       "set to the reference in spark_env_vars")
            for s in find_secrets_in_text(text)]


def _values(value: Any, path: tuple) -> Iterable[tuple[tuple, Optional[str], Any]]:
    if dataclasses.is_dataclass(value):
        for f in dataclasses.fields(value):
            if not f.metadata.get("derived"):
                yield from _values(getattr(value, f.name), path + (f.name,))
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _values(item, path + (key,))
    elif isinstance(value, (tuple, list)):
        for i, item in enumerate(value):
            yield from _values(item, path + (i,))
    elif isinstance(value, str):
        keys = [p for p in path if isinstance(p, str)]
        # A policy rule {type: fixed, value: ...} holds its value under the attribute it fixes.
        key = keys[-2] if len(keys) > 1 and keys[-1] in HOLDER_KEYS else (keys[-1] if keys else None)
        yield path, key, value


def scan_json_file(value: Any, text: str, display: str, scope: Optional[str]) -> list[Diagnostic]:
    """Literal secrets in a JSON file's values (policy definitions), at the line that holds them."""
    found = []
    lines = text.splitlines()
    for path, key, item in _values(value, ()):
        secret = find_secret(item, key)
        if secret is not None:
            raw = json.dumps(item)[1:-1]
            line = next((n for n, line in enumerate(lines, 1) if raw in line), 1)
            column = lines[line - 1].find(raw) + 1 if lines and raw in lines[line - 1] else 1
            found.append(Diagnostic(Location(display, line, max(column, 1)), render_path(path), _message(secret),
                                    advice(scope)))
    return found


def environment_secrets(env: Any, loc: Locations) -> Iterable[Diagnostic]:
    """Rule: no literal secret in any setting of an environment (envs/*.yaml after the merge)."""
    scope = env.secret_scope.name if getattr(env, "secret_scope", None) else None
    for path, key, value in _values(env, ()):
        if path[:1] in (("deployments",), ("access",)):
            continue  # derived later from projects and the access matrix, scanned where they are written
        secret = find_secret(value, key)
        if secret is not None:
            yield Diagnostic(loc.of(path), render_path(path), _message(secret), advice(scope))
