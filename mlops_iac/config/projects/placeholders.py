"""Placeholders in specs, replaced per environment on the located tree (lines survive).

`{REPO_PATH}`, `{ENV}`, `{PROJECT}`, `{CATALOG}`, `{SCHEMA}` and the project's variables inside
any text; `{job:NAME}` / `{pipeline:NAME}` as a whole value become references to objects of the
same project. Databricks' own `{{job.id}}`-style references (double braces) are left alone. An
unknown placeholder is an error at its line.
"""
from __future__ import annotations

import re
from typing import Mapping

from mlops_iac.provider_facts.specs import KEYED_LISTS

from ..diagnostics import Diagnostic, closest
from ..located import LEntry, LMap, LNode, LScalar, LSeq
from .refs import Ref
from .spec_schema import item_label, render

PLACEHOLDER = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)(?::([A-Za-z0-9_.-]+))?\}(?!\})")
REF_KINDS = ("job", "pipeline")
BUILTIN_PLACEHOLDERS = ("REPO_PATH", "ENV", "PROJECT", "SCHEMA", "CATALOG")
# Fields that take the id of one kind of object: {pipeline:x} as a job_id is an error.
REF_FIELDS = {"job_id": "job", "pipeline_id": "pipeline"}


def without_braces(node: LNode) -> frozenset[int]:
    """The ids of every subtree of ``node`` without a '{' in any string: nothing to substitute.
    Valid while ``node`` lives (its subtrees keep their ids); a spec computes it once."""
    found: set[int] = set()

    def walk(current: LNode) -> bool:
        if isinstance(current, LMap):
            plain = all([walk(entry.value) for entry in current.entries.values()])
        elif isinstance(current, LSeq):
            plain = all([walk(item) for item in current.items])
        else:
            plain = not isinstance(current.value, str) or "{" not in current.value
        if plain:
            found.add(id(current))
        return plain

    walk(node)
    return frozenset(found)


def substitute(node: LNode, values: Mapping[str, str], refs: Mapping[str, set[str]], path: tuple,
               errors: list[Diagnostic], unchanged: frozenset[int] = frozenset()) -> LNode:
    """``node`` with placeholders replaced; ``unchanged``: ids of subtrees known to hold none
    (without_braces of the tree ``node`` was taken from), returned without a walk."""
    if id(node) in unchanged:
        return node
    # A container none of whose values change is returned as it is (the tree is never mutated):
    # most of a spec holds no placeholder, and is not copied once per environment.
    if isinstance(node, LMap):
        changed = {}
        for k, e in node.entries.items():
            value = substitute(e.value, values, refs, path + (k,), errors, unchanged)
            if value is not e.value:
                changed[k] = LEntry(e.key_loc, value)
        return LMap(node.loc, {k: changed.get(k, e) for k, e in node.entries.items()}) if changed else node
    if isinstance(node, LSeq):
        key = KEYED_LISTS.get(path[-1]) if path and isinstance(path[-1], str) else None
        items = [substitute(item, values, refs, path[:-1] + (path[-1] + item_label(item, i, key),)
                            if key else path + (i,), errors, unchanged)
                 for i, item in enumerate(node.items)]
        return node if all(new is old for new, old in zip(items, node.items)) else LSeq(node.loc, items)
    if not isinstance(node.value, str) or "{" not in node.value:
        return node
    text = node.value
    whole = PLACEHOLDER.fullmatch(text)
    if whole and whole.group(2) is not None:
        return LScalar(_reference(whole.group(1), whole.group(2), refs, node, path, errors), node.loc)

    def replace(match: re.Match) -> str:
        name, arg = match.group(1), match.group(2)
        if arg is not None:
            errors.append(Diagnostic(node.loc, render(path), f"'{match.group(0)}' must be the whole value",
                                     f"{match.group(0)} alone, e.g. job_id: {match.group(0)}"))
            return match.group(0)
        if name not in values:
            errors.append(Diagnostic(node.loc, render(path), f"unknown placeholder '{{{name}}}'",
                                     "one of " + ", ".join("{" + v + "}" for v in sorted(values)),
                                     closest(name, values) and "{" + closest(name, values) + "}"))
            return match.group(0)
        return values[name]

    return LScalar(PLACEHOLDER.sub(replace, text), node.loc)


def _reference(kind: str, name: str, refs: Mapping[str, set[str]], node: LScalar, path: tuple,
               errors: list[Diagnostic]):
    if kind not in REF_KINDS:
        errors.append(Diagnostic(node.loc, render(path), f"unknown reference kind '{kind}'",
                                 "{job:NAME} or {pipeline:NAME}", closest(kind, REF_KINDS)))
        return node.value
    field = next((p for p in reversed(path) if isinstance(p, str) and not p.startswith("[")), None)
    wanted = REF_FIELDS.get(field)
    if wanted is not None and wanted != kind:
        errors.append(Diagnostic(node.loc, render(path), f"'{node.value}' is a {kind}, but {field} takes a {wanted}",
                                 f"{{{wanted}:NAME}}"))
        return node.value
    if name not in refs[kind]:
        known = sorted(refs[kind])
        errors.append(Diagnostic(node.loc, render(path), f"no {kind} '{name}' in this project",
                                 f"one of {', '.join(known)}" if known else f"a {kind} spec of this project",
                                 closest(name, known)))
    return Ref(kind, name)  # even when unknown: reported once here, not again as a type error
