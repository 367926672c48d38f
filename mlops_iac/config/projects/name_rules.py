"""Names in project.yaml that Databricks or Unity Catalog would reject, or that would silently
mean something else: model names and catalogs (Unity Catalog identifiers: a dot would split the
three-level name ``catalog.schema.model``), variables that shadow a built-in placeholder, and
test environments that name no environment or stage."""
from __future__ import annotations

import re

from ..diagnostics import Diagnostic, closest
from .placeholders import BUILTIN_PLACEHOLDERS

UC_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_-]{0,254}")
UC_NAME_RULE = "1-255 letters, digits, '_' and '-', no '.', '/' or spaces (a Unity Catalog identifier)"
STAGES = ("development", "staging", "production")


def check_names(sources, environments: tuple[str, ...]) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    config, loc = sources.config, sources.locations
    for name in config.models:
        if not UC_NAME.fullmatch(name):
            found.append(Diagnostic(loc.key_of(("models", name)), f"models.{name}",
                                    f"model name '{name}' is not a valid registered model name", UC_NAME_RULE))
    catalogs = config.catalog if isinstance(config.catalog, dict) else {None: config.catalog}
    for key, catalog in catalogs.items():
        if catalog is not None and not UC_NAME.fullmatch(str(catalog)):
            path = ("catalog",) + ((key,) if key is not None else ())
            found.append(Diagnostic(loc.of(path), ".".join(path), f"catalog '{catalog}' is not a Unity Catalog "
                                    "catalog name", UC_NAME_RULE, str(catalog).replace(".", "_") or None))
    for name in config.variables:
        if name in BUILTIN_PLACEHOLDERS:
            found.append(Diagnostic(loc.key_of(("variables", name)), f"variables.{name}",
                                    f"variable '{name}' would shadow the built-in placeholder {{{name}}}",
                                    "a name other than " + ", ".join(BUILTIN_PLACEHOLDERS)))
    options = environments + STAGES
    for i, name in enumerate(config.tests.environments):
        if name not in options:
            found.append(Diagnostic(loc.of(("tests", "environments", i)), f"tests.environments[{i}]",
                                    f"'{name}' is neither an environment nor a stage",
                                    "an environment (" + ", ".join(environments) + ") or a stage",
                                    closest(name, options)))
    return found
