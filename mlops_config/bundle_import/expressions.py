"""Bundle substitutions (`${...}`) as project placeholders.

`${var.x}` -> `{x}`, `${resources.jobs.x.id}` -> `{job:x}`, `${resources.pipelines.x.id}` ->
`{pipeline:x}`, `${bundle.target}` -> `{ENV}`, `${bundle.name}` -> the bundle's name,
`${workspace.file_path}` / `${workspace.root_path}` -> `{REPO_PATH}` (the bundle root is the
repository root, checked out as the environment's git folder). Anything else has no equivalent:
it is reported and replaced by a visible `TODO_...` text, so no `${` ever reaches Terraform.
"""
from __future__ import annotations

import re
from typing import Iterable

from ..binder import render_path
from ..located import LEntry, LMap, LNode, LScalar, LSeq
from .report import ImportReport

EXPRESSION = re.compile(r"\$\{([^${}]+)\}")
BUILTIN_NAMES = ("REPO_PATH", "ENV", "PROJECT", "CATALOG", "SCHEMA")
DIRECT = {"bundle.target": "{ENV}", "bundle.environment": "{ENV}",
          "workspace.file_path": "{REPO_PATH}", "workspace.root_path": "{REPO_PATH}"}
REFERENCE = re.compile(r"resources\.(jobs|pipelines)\.([A-Za-z0-9_-]+)\.id")


def variable_name(name: str) -> str:
    """A bundle variable's name as a placeholder name ({x}), clear of the built-in ones."""
    text = re.sub(r"[^A-Za-z0-9_]", "_", name)
    text = text if re.match(r"[A-Za-z_]", text) else "v_" + text
    return text + "_var" if text in BUILTIN_NAMES else text


def _todo(expression: str) -> str:
    return "TODO_" + re.sub(r"[^A-Za-z0-9]+", "_", expression).strip("_")


class Expressions:
    def __init__(self, bundle_name: str, variables: Iterable[str], specs: dict[str, set[str]],
                 report: ImportReport) -> None:
        self.bundle_name = bundle_name
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
            return LScalar(self.text(node.value, node, path, in_variable), node.loc)
        return node

    def text(self, value: str, node: LScalar, path: tuple, in_variable: bool = False) -> str:
        where = render_path(path)
        whole = EXPRESSION.fullmatch(value.strip())

        def replace(match: re.Match) -> str:
            expression = match.group(1).strip()
            if expression in DIRECT:
                self.report.translated(node.loc, where, f"${{{expression}}} -> {DIRECT[expression]}")
                return DIRECT[expression]
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
            self.report.reported(node.loc, where, f"${{{expression}}} has no equivalent here; replaced by "
                                                  f"'{_todo(expression)}' to fill in")
            return _todo(expression)

        return EXPRESSION.sub(replace, value)
