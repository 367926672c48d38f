"""Read the files an environment refers to (init scripts, policy definitions) into the model.

Runs after binding: a missing, unreadable or malformed file is reported at the line that names
it. Paths are relative to the project root (the parent of envs/) and may not leave it.
"""
from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Optional

from .binder import Locations, diagnostic_at
from .diagnostics import Diagnostic
from .model import EnvironmentConfig
from .safe_read import InputError, parse_json, read_text
from .secrets import scan_json_file, scan_script


def _read(root: Path, relative: str, loc: Locations, path: tuple, found: list[Diagnostic]) -> Optional[str]:
    """The file's checked text (safe_read: inside the project, regular, bounded, UTF-8), or a
    diagnostic at the line that names it."""
    if "\x00" in relative or Path(relative).is_absolute() or ".." in Path(relative).parts:
        found.append(diagnostic_at(loc, path, f"'{relative}' points outside the project",
                                   "a path inside the project, relative to its root"))
        return None
    try:
        return read_text(root / relative, root)
    except InputError as exc:
        if exc.message == "file not found":
            found.append(diagnostic_at(loc, path, f"file '{relative}' not found",
                                       "a file relative to the project root (the folder that holds envs/)"))
        else:
            where = f" (line {exc.line}, column {exc.column})" if (exc.line, exc.column) != (1, 1) else ""
            found.append(diagnostic_at(loc, path, f"cannot read '{relative}'{where}: {exc.message}"))
    return None


def resolve_files(env: EnvironmentConfig, loc: Locations, root: Path) -> tuple[EnvironmentConfig, list[Diagnostic]]:
    found: list[Diagnostic] = []
    scripts = {}
    for name, script in env.init_scripts.items():
        content = _read(root, script.file, loc, ("init_scripts", name, "file"), found)
        if content is not None:  # scanned before it is uploaded (as content_base64)
            found.extend(scan_script(content, script.file, env.secret_scope.name if env.secret_scope else None))
        scripts[name] = dataclasses.replace(script, content=content)
    policies = {}
    for name, policy in env.cluster_policies.items():
        if policy.definition_file is not None:
            path = ("cluster_policies", name, "definition_file")
            text = _read(root, policy.definition_file, loc, path, found)
            definition = None
            if text is not None:
                try:
                    definition = parse_json(text)
                except InputError as exc:
                    found.append(diagnostic_at(loc, path, f"'{policy.definition_file}' is not valid JSON "
                                               f"(line {exc.line}, column {exc.column}): {exc.message}"))
                if definition is not None and not isinstance(definition, dict):
                    found.append(diagnostic_at(loc, path,
                                               f"'{policy.definition_file}' holds no JSON object",
                                               "an object mapping attribute paths to policy rules"))
                    definition = None
            if definition is not None:
                found.extend(scan_json_file(definition, text, policy.definition_file,
                                            env.secret_scope.name if env.secret_scope else None))
            policy = dataclasses.replace(policy, definition=definition, definition_file=policy.definition_file)
        policies[name] = policy
    return dataclasses.replace(env, init_scripts=scripts, cluster_policies=policies), found
