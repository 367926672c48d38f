"""Paths in specs resolved the way Databricks Asset Bundles resolve them.

The Jobs and Pipelines APIs accept only absolute workspace paths (unless a task's source is GIT),
while specs copied from bundles say `../src/train.ipynb`: relative to the YAML file, which lives
in the repository's `resources/` folder. Here a spec file stands for a file in
`<repo>/<spec_root>/` (project.yaml `paths.spec_root`, default `resources`), and the repository is
the environment's git folder ({REPO_PATH}). So in `jobs/train.yml`, `../src/train.ipynb` becomes
`{REPO_PATH}/src/train` (notebook extensions dropped, as Databricks expects; kept for files).

Errors at the value's line: a path that leaves the repository, a glob where Databricks needs one
file, and a personal workspace path (/Users/<someone>, /Repos/<someone>) in staging or production.
Runs on the located tree after placeholders, before the schema check.
"""
from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from typing import Callable, Optional

from ..diagnostics import Diagnostic
from ..located import LEntry, LMap, LNode, LScalar, LSeq
from .spec_schema import render

NOTEBOOK_EXTENSIONS = (".py", ".ipynb", ".scala", ".sql", ".r")
SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # dbfs:/, s3://, abfss://, file:, git+https:
GLOB = re.compile(r"[*?\[]")
REQUIREMENT_FLAG = re.compile(r"^(-r|--requirement|-e|--editable|-c|--constraint)(\s+|=)(.+)$")
PERSONAL = re.compile(r"^(?:/Workspace)?/(Users|Repos)/([^/]+)/")


@dataclass(frozen=True)
class PathContext:
    repo_path: str  # the environment's git folder of the project, e.g. /Repos/mlops-qa/churn
    spec_root: str  # the repository folder a spec file stands for, e.g. resources
    environment: str
    stage: str


class _Resolver:
    def __init__(self, ctx: PathContext, errors: list[Diagnostic]) -> None:
        self.ctx = ctx
        self.errors = errors

    def error(self, node: LScalar, path: tuple, message: str, expected: str) -> None:
        self.errors.append(Diagnostic(node.loc, render(path), message, expected))

    # --- one value -------------------------------------------------------------------------------
    def path(self, node: LScalar, path: tuple, *, notebook: bool = False, glob_ok: bool = False,
             git: bool = False) -> LScalar:
        value = node.value
        if not isinstance(value, str) or not value:
            return node
        if GLOB.search(value) and not glob_ok:
            self.error(node, path, f"'{value}' is a glob; Databricks needs the path of one file here",
                       "the file itself (e.g. ../dist/<package>-<version>-py3-none-any.whl), or a "
                       "pipeline libraries[].glob.include")
            return node
        if value.startswith("{"):  # placeholder-led ({REPO_PATH}/...): absolute once replaced
            return node
        if value.startswith("/") or SCHEME.match(value):
            self._personal(node, path, value)
            return node
        if git:  # the task runs from the job's git_source: paths stay relative to the repository
            return node
        resolved = posixpath.normpath(posixpath.join(self.ctx.spec_root, value))
        if resolved == ".." or resolved.startswith("../"):
            self.error(node, path, f"'{value}' leaves the repository",
                       f"a path inside the repository; this spec stands for a file in "
                       f"<repo>/{self.ctx.spec_root}/ (project.yaml paths.spec_root)")
            return node
        if notebook and resolved.lower().endswith(NOTEBOOK_EXTENSIONS):
            resolved = posixpath.splitext(resolved)[0]
        absolute = self.ctx.repo_path if resolved == "." else f"{self.ctx.repo_path}/{resolved}"
        return LScalar(absolute, node.loc)

    def _personal(self, node: LScalar, path: tuple, value: str) -> None:
        match = PERSONAL.match(value)
        if not match or self.ctx.stage == "development" or (value + "/").startswith(self.ctx.repo_path + "/"):
            return
        self.error(node, path, f"personal workspace path '{value}' in {self.ctx.stage} environment "
                               f"'{self.ctx.environment}'",
                   "a path in the project's git folder ({REPO_PATH}/...) or a shared folder, never a "
                   f"person's /{match.group(1)}/ folder outside development")

    def dependency(self, node: LScalar, path: tuple) -> LScalar:
        """An environment dependency: a pip specifier, a wheel path or `-r requirements.txt`."""
        value = node.value
        if not isinstance(value, str):
            return node
        flag = REQUIREMENT_FLAG.match(value.strip())
        target = flag.group(3).strip() if flag else value.strip()
        if not _looks_like_path(target):
            return node
        resolved = self.path(LScalar(target, node.loc), path)
        if resolved.value == target:
            return node
        return LScalar(f"{flag.group(1)} {resolved.value}" if flag else resolved.value, node.loc)


def _looks_like_path(text: str) -> bool:
    if text.startswith(("./", "../", "/")):
        return True
    return not SCHEME.match(text) and " " not in text and "/" in text and text.endswith((".whl", ".txt", ".jar"))


# --- walking the spec ------------------------------------------------------------------------------

def _copy(node: LNode) -> LNode:
    """A copy of the containers (scalars are never mutated), so the source tree stays as loaded."""
    if isinstance(node, LMap):
        return LMap(node.loc, {k: LEntry(e.key_loc, _copy(e.value)) for k, e in node.entries.items()})
    if isinstance(node, LSeq):
        return LSeq(node.loc, [_copy(item) for item in node.items])
    return node


def _map(node: Optional[LNode], key: str) -> Optional[LMap]:
    entry = node.entries.get(key) if isinstance(node, LMap) else None
    return entry.value if entry is not None and isinstance(entry.value, LMap) else None


def _seq(node: Optional[LNode], key: str) -> list[LNode]:
    entry = node.entries.get(key) if isinstance(node, LMap) else None
    return entry.value.items if entry is not None and isinstance(entry.value, LSeq) else []


def _label(item: LNode, index: int, key: str) -> str:
    entry = item.entries.get(key) if isinstance(item, LMap) else None
    if entry is not None and isinstance(entry.value, LScalar) and isinstance(entry.value.value, str):
        return f"[{entry.value.value}]"
    return f"[{index}]"


def _update(node: Optional[LMap], key: str, path: tuple, fix: Callable[[LScalar, tuple], LScalar]) -> None:
    entry = node.entries.get(key) if node is not None else None
    if entry is not None and isinstance(entry.value, LScalar):
        entry.value = fix(entry.value, path + (key,))


def _libraries(r: _Resolver, owner: LNode, path: tuple, git: bool) -> None:
    for i, library in enumerate(_seq(owner, "libraries")):
        where = path + (f"libraries[{i}]",)
        for key in ("whl", "jar", "requirements", "egg"):
            _update(library if isinstance(library, LMap) else None, key, where,
                    lambda n, p: r.path(n, p, git=git))


def _dependencies(r: _Resolver, spec: Optional[LMap], path: tuple) -> None:
    entry = spec.entries.get("dependencies") if spec is not None else None
    if entry is not None and isinstance(entry.value, LSeq):
        entry.value.items = [r.dependency(item, path + ("dependencies", i)) if isinstance(item, LScalar) else item
                             for i, item in enumerate(entry.value.items)]


def _cluster(r: _Resolver, cluster: Optional[LMap], path: tuple) -> None:
    for i, script in enumerate(_seq(cluster, "init_scripts")):
        where = path + ("init_scripts", i)
        for kind in ("workspace", "file"):
            _update(_map(script, kind), "destination", where + (kind,), lambda n, p: r.path(n, p))


def _task(r: _Resolver, task: LNode, path: tuple, git_job: bool) -> None:
    def git(block: Optional[LMap]) -> bool:
        source = block.entries.get("source") if block is not None else None
        value = source.value.value if source is not None and isinstance(source.value, LScalar) else None
        return value == "GIT" or (git_job and value != "WORKSPACE")

    notebook = _map(task, "notebook_task")
    _update(notebook, "notebook_path", path + ("notebook_task",),
            lambda n, p: r.path(n, p, notebook=True, git=git(notebook)))
    python = _map(task, "spark_python_task")
    _update(python, "python_file", path + ("spark_python_task",), lambda n, p: r.path(n, p, git=git(python)))
    sql_file = _map(_map(task, "sql_task"), "file")
    _update(sql_file, "path", path + ("sql_task", "file"), lambda n, p: r.path(n, p, git=git(sql_file)))
    dbt = _map(task, "dbt_task")
    _update(dbt, "project_directory", path + ("dbt_task",), lambda n, p: r.path(n, p, git=git(dbt)))
    _libraries(r, task, path, git_job)
    _cluster(r, _map(task, "new_cluster"), path + ("new_cluster",))
    inner = _map(_map(task, "for_each_task"), "task")
    if inner is not None:
        _task(r, inner, path + ("for_each_task", "task"), git_job)


def resolve_job_paths(spec: LMap, ctx: PathContext, errors: list[Diagnostic]) -> LMap:
    r = _Resolver(ctx, errors)
    spec = _copy(spec)
    git_job = "git_source" in spec.entries
    for i, task in enumerate(_seq(spec, "tasks")):
        _task(r, task, ("tasks" + _label(task, i, "task_key"),), git_job)
    for i, cluster in enumerate(_seq(spec, "job_clusters")):
        _cluster(r, _map(cluster, "new_cluster"), ("job_clusters" + _label(cluster, i, "job_cluster_key"), "new_cluster"))
    for i, environment in enumerate(_seq(spec, "environments")):
        _dependencies(r, _map(environment, "spec"), ("environments" + _label(environment, i, "environment_key"), "spec"))
    return spec


def resolve_pipeline_paths(spec: LMap, ctx: PathContext, errors: list[Diagnostic]) -> LMap:
    r = _Resolver(ctx, errors)
    spec = _copy(spec)
    _update(spec, "root_path", (), lambda n, p: r.path(n, p))
    for i, library in enumerate(_seq(spec, "libraries")):
        where = (f"libraries[{i}]",)
        _update(_map(library, "notebook"), "path", where + ("notebook",), lambda n, p: r.path(n, p, notebook=True))
        _update(_map(library, "file"), "path", where + ("file",), lambda n, p: r.path(n, p))
        _update(_map(library, "glob"), "include", where + ("glob",), lambda n, p: r.path(n, p, glob_ok=True))
        for key in ("whl", "jar"):
            _update(library if isinstance(library, LMap) else None, key, where, lambda n, p: r.path(n, p))
    for i, cluster in enumerate(_seq(spec, "clusters")):
        _cluster(r, cluster if isinstance(cluster, LMap) else None, ("clusters" + _label(cluster, i, "label"),))
    _dependencies(r, _map(spec, "environment"), ("environment",))
    return spec
