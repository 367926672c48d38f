"""Bundle substitutions (`${...}`) as project placeholders.

`${var.x}` -> `{x}`, `${resources.jobs.x.id}` -> `{job:x}`, `${resources.pipelines.x.id}` ->
`{pipeline:x}`, `${bundle.target}` -> `{ENV}`, `${bundle.name}` -> the bundle's name,
`${workspace.file_path}` / `${workspace.root_path}` -> `{REPO_PATH}` plus the bundle's folder in the
repository (the repository is checked out as the environment's git folder). Anything else has no equivalent:
it is reported and replaced by a visible `TODO_...` text, so no `${` ever reaches Terraform.
"""
from __future__ import annotations

import re
from typing import Callable, Iterable, Optional

from ..binder import render_path
from ..located import LEntry, LMap, LNode, LScalar, LSeq
from .report import ImportReport

EXPRESSION = re.compile(r"\$\{([^${}]+)\}")
BUILTIN_NAMES = ("REPO_PATH", "ENV", "PROJECT", "CATALOG", "SCHEMA")
DIRECT = {"bundle.target": "{ENV}", "bundle.environment": "{ENV}",
          "workspace.file_path": "{REPO_PATH}", "workspace.root_path": "{REPO_PATH}"}
REFERENCE = re.compile(r"resources\.(jobs|pipelines)\.([A-Za-z0-9_-]+)\.id")
FIELD = re.compile(r"resources\.([a-z_]+)\.([A-Za-z0-9_-]+)\.([A-Za-z0-9_]+)")


def variable_name(name: str) -> str:
    """A bundle variable's name as a placeholder name ({x}), clear of the built-in ones."""
    text = re.sub(r"[^A-Za-z0-9_]", "_", name)
    text = text if re.match(r"[A-Za-z_]", text) else "v_" + text
    return text + "_var" if text in BUILTIN_NAMES else text


def _relocated(node: LNode, loc) -> LNode:
    """The variable's value, placed at the line that used it."""
    if isinstance(node, LMap):
        return LMap(loc, dict(node.entries))
    if isinstance(node, LSeq):
        return LSeq(loc, list(node.items))
    return LScalar(node.value, loc)


def _todo(expression: str) -> str:
    return "TODO_" + re.sub(r"[^A-Za-z0-9]+", "_", expression).strip("_")


class Expressions:
    def __init__(self, bundle_name: str, variables: Iterable[str], specs: dict[str, set[str]],
                 report: ImportReport, inline: Optional[dict[str, LNode]] = None, bundle_folder: str = "") -> None:
        self.bundle_name = bundle_name
        root = "{REPO_PATH}" + (f"/{bundle_folder}" if bundle_folder else "")
        self.direct = {k: root if v == "{REPO_PATH}" else v for k, v in DIRECT.items()}
        self.inline = inline or {}  # typed or complex variables: their value replaces `${var.x}`
        self.expects_text: Callable[[tuple], bool] = lambda path: False
        self.resources: dict[tuple[str, str], LNode] = {}  # (kind, key) -> any resource, for its fields
        self.variables = set(variables)
        self.specs = specs  # "jobs" / "pipelines" -> keys imported
        self.report = report

    def tree(self, node: LNode, path: tuple = (), in_variable: bool = False) -> LNode:
        if isinstance(node, LMap):
            return LMap(node.loc, {k: LEntry(e.key_loc, self.tree(e.value, path + (k,), in_variable))
                                   for k, e in node.entries.items()})
        if isinstance(node, LSeq):
            return LSeq(node.loc, [self.tree(item, path + (i,), in_variable) for i, item in enumerate(node.items)])
        if isinstance(node.value, str) and "${" in node.value:
            whole = EXPRESSION.fullmatch(node.value.strip())
            name = whole.group(1).strip()[4:] if whole and whole.group(1).strip().startswith("var.") else None
            if name in self.inline and not in_variable:
                value = self.inline[name]
                if isinstance(value, LScalar) and self.expects_text(path):  # as Terraform would convert it
                    text = str(value.value).lower() if isinstance(value.value, bool) else str(value.value)
                    self.report.translated(node.loc, render_path(path), f"${{var.{name}}} -> '{text}'")
                    return LScalar(text, node.loc)
                self.report.translated(node.loc, render_path(path), f"${{var.{name}}} -> its value (not text)")
                return _relocated(self.tree(value, path, in_variable), node.loc)
            return LScalar(self.text(node.value, node, path, in_variable), node.loc)
        return node

    def text(self, value: str, node: LScalar, path: tuple, in_variable: bool = False) -> str:
        where = render_path(path)
        whole = EXPRESSION.fullmatch(value.strip())

        def replace(match: re.Match) -> str:
            expression = match.group(1).strip()
            if expression in self.direct:
                self.report.translated(node.loc, where, f"${{{expression}}} -> {self.direct[expression]}")
                return self.direct[expression]
            if expression == "bundle.name":
                self.report.translated(node.loc, where, f"${{bundle.name}} -> '{self.bundle_name}'")
                return self.bundle_name
            if expression.startswith("var.") and not in_variable:
                name = expression[4:]
                if name in self.variables:
                    self.report.translated(node.loc, where, f"${{{expression}}} -> {{{variable_name(name)}}}")
                    return "{" + variable_name(name) + "}"
            reference = REFERENCE.fullmatch(expression)
            if reference and whole and not in_variable and reference.group(2) in self.specs[reference.group(1)]:
                kind = "job" if reference.group(1) == "jobs" else "pipeline"
                self.report.translated(node.loc, where, f"${{{expression}}} -> {{{kind}:{reference.group(2)}}}")
                return f"{{{kind}:{reference.group(2)}}}"
            field = FIELD.fullmatch(expression)
            target = self.resources.get(field.group(1, 2)) if field else None
            value = target.entries.get(field.group(3)) if isinstance(target, LMap) else None
            if value is not None and isinstance(value.value, LScalar) and value.value.value is not None \
                    and "${resources." not in str(value.value.value):
                text = self.text(str(value.value.value), value.value, path, in_variable)
                self.report.translated(node.loc, where, f"${{{expression}}} -> its value '{text}'")
                return text
            self.report.reported(node.loc, where, f"${{{expression}}} has no equivalent here; replaced by "
                                                  f"'{_todo(expression)}' to fill in")
            return _todo(expression)

        return EXPRESSION.sub(replace, value)
