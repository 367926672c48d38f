"""Render a change set as Markdown for a pull-request comment: risks first, then a table per
stack, then each changed resource with a field-level diff. A change made the same way in several
environments is shown once (mlops_iac/review/grouping.py); a value too long for one line is folded into a
fenced block, whole, never cut."""
from __future__ import annotations

import json
from typing import Any, Optional

from .changes import ChangeSet
from .diff import MISSING, FieldChange
from .grouping import ENV_PLACEHOLDER, Entry, Section, sections
from .normalize import normalizer
from .risks import Risk

SYMBOL = {"create": "+", "update": "~", "delete": "-", "replace": "-/+"}
MAX_FIELDS = 12  # per resource; the rest is counted, not listed
MAX_INLINE = 80  # longer values (and any with a line break) are folded into a block


def _text(value: Any) -> str:
    return json.dumps(value, sort_keys=True) if not isinstance(value, str) else value


def inline(value: Any) -> Optional[str]:
    """The value in backticks when it fits on the line, else None (fold it)."""
    if value is MISSING:
        return "(none)"
    text = _text(value)
    if len(text) > MAX_INLINE or "\n" in text or "`" in text:
        return None
    return f"`{text}`"


def _value(value: Any) -> str:
    """A value on one line, whole (for places that cannot fold)."""
    return inline(value) or f"`{_text(value).replace('`', chr(39))}`"


def _block_lines(value: Any) -> list[str]:
    """A long value over several lines: structures pretty-printed, text by its own lines."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, indent=2, sort_keys=True).split("\n")
    return _text(value).split("\n")


def fenced(lines: list[str], indent: str = "    ", language: str = "") -> list[str]:
    """A fenced block inside a list item; the fence is longer than any backtick run inside."""
    fence = "`" * max(3, max((len(run) for line in lines for run in _backtick_runs(line)), default=0) + 1)
    return [f"{indent}{fence}{language}"] + [f"{indent}{line}" for line in lines] + [f"{indent}{fence}"]


def _backtick_runs(line: str) -> list[str]:
    runs, current = [], ""
    for char in line:
        if char == "`":
            current += char
        elif current:
            runs.append(current)
            current = ""
    return runs + ([current] if current else [])


def field_lines(change: FieldChange) -> list[str]:
    head = f"  - `{change.path}`:"
    before, after = inline(change.before), inline(change.after)
    if change.kind == "added":
        return [f"{head} added {after}"] if after else [f"{head} added"] + fenced(_block_lines(change.after))
    if change.kind == "removed":
        return [f"{head} removed (was {before})"] if before else \
            [f"{head} removed, was"] + fenced(_block_lines(change.before))
    if before and after:
        return [f"{head} {before} -> {after}"]
    diff = [f"- {line}" for line in _block_lines(change.before)] + [f"+ {line}" for line in _block_lines(change.after)]
    return [f"{head} changed"] + fenced(diff, language="diff")


def _entry_lines(entry: Entry) -> list[str]:
    head = f"- {SYMBOL[entry.action]} `{entry.rtype}` **{entry.name}**"
    if entry.action == "replace" and entry.replaced_by:
        head += f" (replaced: {', '.join(entry.replaced_by)})"
    lines = [head]
    for change in entry.fields[:MAX_FIELDS]:
        lines += field_lines(change)
    if len(entry.fields) > MAX_FIELDS:
        lines.append(f"  - ... and {len(entry.fields) - MAX_FIELDS} more fields")
    return lines


def _section_lines(section: Section) -> list[str]:
    if not section.shared:
        return ["", f"### {section.stacks[0]}", ""] + [line for e in section.entries for line in _entry_lines(e)]
    body = [line for e in section.entries for line in _entry_lines(e)]
    title = f"### {section.kind}: same change in {', '.join(section.environments)}"
    note = [f"`{ENV_PLACEHOLDER}` stands for each environment's name.", ""] \
        if any(ENV_PLACEHOLDER in line for line in body) else []
    return ["", title, ""] + note + body


def _risk_lines(risks: list[Risk]) -> list[str]:
    """One line per risk; the same risk in several environments' stacks of one kind once."""
    grouped: dict[tuple[str, str, str], list[str]] = {}
    for risk in risks:
        env, _, kind = risk.stack.partition("-")
        key = (risk.kind, kind, normalizer(env, names_only=True)(risk.message))
        grouped.setdefault(key, []).append(risk.stack)
    lines = []
    for risk in risks:
        env, _, kind = risk.stack.partition("-")
        stacks = grouped.pop((risk.kind, kind, normalizer(env, names_only=True)(risk.message)), None)
        if stacks is None:
            continue  # shown with the first stack of its group
        message = risk.message if len(stacks) == 1 else normalizer(env, names_only=True)(risk.message)
        lines.append(f"- **{risk.kind}** ({', '.join(stacks)}): {message}")
    return lines


def render(changes: ChangeSet, risks: list[Risk], title: str = "Infrastructure change summary") -> str:
    by_stack = changes.by_stack()
    source = "Terraform plan" if changes.source == "plan" else "synthesized configuration (no provider access)"
    lines = [f"## {title}", "", f"Compared: {source}.", ""]
    if not by_stack:
        return "\n".join(lines + ["No changes.", ""])
    if risks:
        shown = _risk_lines(risks)
        lines += [f"### Risks ({len(shown)})", ""] + shown + [""]
    lines += ["| stack | create | update | replace | delete |", "|---|---:|---:|---:|---:|"]
    for stack, items in by_stack.items():
        counts = [sum(c.action == a for c in items) for a in ("create", "update", "replace", "delete")]
        lines.append(f"| {stack} | " + " | ".join(map(str, counts)) + " |")
    for section in sections(changes):
        lines += _section_lines(section)
    return "\n".join(lines) + "\n"
