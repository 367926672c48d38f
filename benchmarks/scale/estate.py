"""Replicated estates: the repository's envs/ with one project copied to p001..pNNN.

The copy lives in a temporary directory, never in the repository: envs/ and projects/ are the
user's estate. Only the copy's `projects:` lists change; every environment deploys every copy,
exactly as it deploys the original project.
"""
from __future__ import annotations

import re
import shutil
from pathlib import Path

ENVS_DIR = "envs"
PROJECTS_DIR = "projects"
PROJECT_FILE = "project.yaml"
DEFAULT_PROJECT = "churn"
TOP_LEVEL_PROJECTS = re.compile(r"^projects\s*:")
TOP_LEVEL_KEY = re.compile(r"^[^\s#-]")


def project_names(count: int) -> list[str]:
    """p001, p002, ...: names sort in creation order and stay valid resource names."""
    width = max(3, len(str(count)))
    return [f"p{n:0{width}d}" for n in range(1, count + 1)]


def source_project(root: Path, name: str | None = None) -> Path:
    """The project to replicate: ``name``, else projects/churn, else the first project folder."""
    base = root / PROJECTS_DIR
    candidates = sorted(p for p in base.iterdir() if (p / PROJECT_FILE).is_file()) if base.is_dir() else []
    if name is not None:
        wanted = base / name
        if wanted not in candidates:
            raise ValueError(f"no project '{name}' in {base}")
        return wanted
    if not candidates:
        raise ValueError(f"no project folder with {PROJECT_FILE} under {base}")
    preferred = base / DEFAULT_PROJECT
    return preferred if preferred in candidates else candidates[0]


def with_projects(yaml_text: str, names: list[str]) -> tuple[str, bool]:
    """``yaml_text`` with its top-level `projects:` key (flow or block list) replaced by ``names``;
    and whether it had one. Line-based on purpose: comments and layout of the rest stay as they are."""
    lines = yaml_text.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if TOP_LEVEL_PROJECTS.match(line)), None)
    if start is None:
        return yaml_text, False
    end = start + 1
    while end < len(lines) and not TOP_LEVEL_KEY.match(lines[end]):
        end += 1  # the block list's items, blank lines and comments belong to the key
    replacement = f"projects: [{', '.join(names)}]\n"
    return "".join(lines[:start]) + replacement + "".join(lines[end:]), True


def replicate_estate(source_root: Path, dest: Path, count: int, project: str | None = None) -> Path:
    """Write a copy of ``source_root``'s estate with ``count`` copies of one project into ``dest``;
    returns the copy's envs directory."""
    if count < 1:
        raise ValueError("count must be at least 1")
    original = source_project(source_root, project)
    dest.mkdir(parents=True, exist_ok=True)
    envs = dest / ENVS_DIR
    shutil.copytree(source_root / ENVS_DIR, envs)
    names = project_names(count)
    for name in names:
        shutil.copytree(original, dest / PROJECTS_DIR / name)
    replaced = False
    for path in sorted(envs.glob("*.yaml")):
        text, found = with_projects(path.read_text(), names)
        if found:
            path.write_text(text)
            replaced = replaced or path.name == "defaults.yaml"
    if not replaced:  # the estate lists no projects in defaults.yaml: add the key there
        defaults = envs / "defaults.yaml"
        text = defaults.read_text()
        defaults.write_text(text + ("" if text.endswith("\n") or not text else "\n")
                            + f"projects: [{', '.join(names)}]\n")
    return envs
