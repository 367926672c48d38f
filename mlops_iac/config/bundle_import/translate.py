"""A Databricks Asset Bundle as an ML project: specs, project variables, environment overrides.

Jobs become jobs/<key>.yml and pipelines delta_live_tables/<key>.yml; variables become project
variables (one value per environment where targets differ); target overrides of a job or pipeline
become project.yaml `overrides:` of the environment the target maps to; relative paths and
`${workspace.file_path}` become `{REPO_PATH}/...`. Everything else (permissions, run_as, presets,
sync, artifacts, workspace settings, other resource types) is reported at its file:line.
"""
from __future__ import annotations

import posixpath
from dataclasses import dataclass, field
from typing import Any, Optional

from ..binder import render_path
from ..diagnostics import Diagnostic
from ..located import LEntry, LMap, LNode, LScalar, LSeq, Location, plain
from ..projects.editor_schema import expects_text
from ..projects.paths import GLOB, PathContext, resolve_job_paths, resolve_pipeline_paths
from .expressions import Expressions, variable_name
from .reader import Bundle
from .report import ImportReport

SPEC_KINDS = {"jobs": ("job", "jobs"), "pipelines": ("pipeline", "delta_live_tables")}
WHY = {  # bundle settings the tool handles its own way
    "workspace": "the workspace comes from the environment (envs/<env>.yaml workspace)",
    "permissions": "access comes from the access matrix (envs/access.yaml)",
    "run_as": "production jobs and pipelines run as the environment's deployer; elsewhere as the deployer too",
    "presets": "names (<env>-<project>-<name>), tags and paused schedules come from the environment semantics",
    "sync": "files come from the environment's git folder ({REPO_PATH}), not from a sync",
    "artifacts": "build wheels in CI and publish them (e.g. to a volume); name the file in the spec",
    "mode": "outside production the tool pauses schedules and triggers itself",
    "git": "the branch or tag per environment is project.yaml follow:",
    "experimental": "no equivalent", "scripts": "no equivalent",
    "python": "resources defined in Python code cannot be read from YAML; write them as YAML resources first",
    "cluster_id": "no equivalent (specs run on job clusters under the environment's policy)",
    "compute_id": "no equivalent (specs run on job clusters under the environment's policy)",
}
IGNORED = ("default",)  # target settings with no meaning once targets are environments


@dataclass
class Project:
    config: dict = field(default_factory=dict)
    specs: dict[str, dict] = field(default_factory=dict)  # jobs/x.yml -> spec


@dataclass
class _Source:
    node: LMap
    file: str
    path: tuple


def _entries(node: Optional[LNode]) -> dict[str, LEntry]:
    return node.entries if isinstance(node, LMap) else {}


class BundleTranslator:
    def __init__(self, bundle: Bundle, target_map: Optional[dict[str, str]], report: ImportReport,
                 bundle_folder: str = "") -> None:
        self.bundle = bundle
        self.bundle_folder = bundle_folder.strip("/")  # where the bundle lives in its repository
        self.report = report
        self.name = ""
        self.variables: dict[str, tuple[LEntry, str]] = {}
        self.resources: dict[str, dict[str, _Source]] = {"jobs": {}, "pipelines": {}}
        self.targets: dict[str, tuple[LEntry, str]] = {}
        self.project_extras: dict[str, Any] = {"experiments": [], "models": {}}
        self.all_resources: dict[tuple[str, str], LNode] = {}
        self._collect()
        self.target_map = target_map if target_map is not None else {t: t for t in self.targets}
        specs = {kind: set(items) for kind, items in self.resources.items()}
        for entry, _ in self.targets.values():
            resources = _entries(entry.value).get("resources")
            for kind in SPEC_KINDS:
                items = _entries(resources.value if resources else None).get(kind)
                specs[kind] |= set(_entries(items.value if items else None))
        self.inline = self._typed_variables()
        self.expressions = Expressions(self.name, self.variables, specs, report, self.inline, self.bundle_folder)
        self.expressions.resources = self.all_resources

    def _values_of(self, name: str) -> dict[str, LNode]:
        """A variable's value nodes: 'default' and one per target that sets it."""
        values = {}
        entry = self.variables[name][0]
        if isinstance(entry.value, LScalar):  # variables: {x: value} shorthand
            values["default"] = entry.value
        elif "default" in _entries(entry.value):
            values["default"] = _entries(entry.value)["default"].value
        for target, (target_entry, _) in self.targets.items():
            variables = _entries(target_entry.value).get("variables")
            item = _entries(variables.value if variables else None).get(name)
            if item is not None:
                value = item.value
                values[target] = _entries(value)["default"].value if "default" in _entries(value) else value
        return values

    def _typed_variables(self) -> dict[str, LNode]:
        """Variables holding booleans, numbers, lists or mappings: inlined where used, since a
        placeholder always becomes text."""
        inline = {}
        for name in sorted(self.variables):
            values = self._values_of(name)
            typed = {k: v for k, v in values.items() if isinstance(v, (LMap, LSeq)) or (
                isinstance(v, LScalar) and v.value is not None and not isinstance(v.value, str))}
            if not typed:
                continue
            first = typed.get("default") or next(iter(typed.values()))
            inline[name] = first
            if len({str(plain(v)) for v in values.values()}) > 1:
                self.report.reported(first.loc, f"variables.{name}", "a typed value that differs per target: "
                                     "the default is inlined; add per-environment overrides for the others")
        return inline

    # --- reading ---------------------------------------------------------------------------------
    def _collect(self) -> None:
        for file in self.bundle.files:
            for key, entry in file.node.entries.items():
                if key == "bundle":
                    name = _entries(entry.value).get("name")
                    self.name = str(name.value.value) if name and isinstance(name.value, LScalar) else self.name
                    for sub, sub_entry in _entries(entry.value).items():
                        if sub not in ("name", "uuid", "databricks_cli_version"):
                            self._setting(sub, sub_entry, ("bundle", sub))
                elif key == "include":
                    self.report.translated(entry.key_loc, "include", "included files read")
                elif key == "variables":
                    for name, var in _entries(entry.value).items():
                        self.variables[name] = (var, file.rel)
                elif key == "resources":
                    self._resources(entry.value, file.rel, ("resources",))
                elif key == "targets":
                    for name, target in _entries(entry.value).items():
                        self.targets[name] = (target, file.rel)
                else:
                    self._setting(key, entry, (key,))

    def _setting(self, key: str, entry: LEntry, path: tuple) -> None:
        why = WHY.get(key)
        if key == "permissions":
            self._permissions(entry, path, "every object of the bundle")
        elif why:
            self.report.reported(entry.key_loc, render_path(path), f"not translated: {why}")
        else:
            self.report.reported(entry.key_loc, render_path(path),
                                 "not a bundle setting this import knows (a YAML anchor holder?); ignored")

    def _resources(self, node: LNode, file: str, path: tuple) -> None:
        for kind, items in _entries(node).items():
            for key, entry in _entries(items.value).items():
                where = path + (kind, key)
                self.all_resources[(kind, key)] = entry.value
                if kind in SPEC_KINDS and isinstance(entry.value, LMap):
                    self.resources[kind][key] = _Source(entry.value, file, where)
                elif kind == "experiments":
                    self.project_extras["experiments"].append(key)
                    self.report.translated(entry.key_loc, render_path(where),
                                           f"experiment -> project.yaml experiments: [{key}] (in the project's "
                                           "experiment folder; its name and permissions are not kept)")
                elif kind in ("models", "registered_models"):
                    self.project_extras["models"][key] = {}
                    self.report.translated(entry.key_loc, render_path(where),
                                           f"model -> project.yaml models: {{{key}: {{}}}} (registry, catalog and "
                                           "grants come from project.yaml and the access matrix)")
                else:
                    self.report.reported(entry.key_loc, render_path(where),
                                         f"'{kind}' resources are not deployed by ML projects; create it elsewhere")

    def _permissions(self, entry: LEntry, path: tuple, what: str) -> None:
        items = entry.value.items if isinstance(entry.value, LSeq) else []
        for i, item in enumerate(items):
            fields = {k: plain(e.value) for k, e in _entries(item).items()}
            who = next((f"{k.removesuffix('_name')} '{v}'" for k, v in fields.items() if k.endswith("_name")), "?")
            self.report.reported(item.loc, render_path(path + (i,)),
                                 f"permission for {what}: give {who} level {fields.get('level')} through a role in "
                                 "envs/access.yaml (roles: <role>: {group: ...}; matrix: <role>: {job: <level>})")
        if not items:
            self.report.reported(entry.key_loc, render_path(path), f"not translated: {WHY['permissions']}")

    # --- translating -----------------------------------------------------------------------------
    def spec(self, source: _Source, kind: str, key: str, override: bool = False) -> dict:
        node = LMap(source.node.loc, dict(source.node.entries))
        for drop in ("permissions", "run_as"):
            if drop in node.entries:
                entry = node.entries.pop(drop)
                if drop == "permissions":
                    self._permissions(entry, source.path + (drop,), f"{SPEC_KINDS[kind][0]} '{key}'")
                else:
                    self.report.reported(entry.key_loc, render_path(source.path + (drop,)),
                                         f"dropped: {WHY['run_as']}")
        depth = len(source.path)
        self.expressions.expects_text = lambda path: expects_text(SPEC_KINDS[kind][0], path[depth:])
        translated = self.expressions.tree(node, source.path)
        name = translated.entries.get("name")
        if name is not None and isinstance(name.value, LScalar) and "{" in str(name.value.value) and not override:
            self.report.translated(name.key_loc, render_path(source.path + ("name",)),
                                   f"name '{name.value.value}' -> '{key}' (deployed as <env>-<project>-{key})")
            translated.entries["name"] = LEntry(name.key_loc, LScalar(key, name.value.loc))
        self._drop_globs(translated, source.path)
        errors: list[Diagnostic] = []
        anchor = posixpath.join(self.bundle_folder, posixpath.dirname(source.file)) or "."
        context = PathContext("{REPO_PATH}", anchor, "import", "development")
        resolve = resolve_pipeline_paths if kind == "pipelines" else resolve_job_paths
        resolved = resolve(translated, context, errors)
        for error in errors:
            self.report.reported(error.location, error.path, f"{error.message}; left as written")
        self._note_changes(translated, resolved, source.path)
        return plain(resolved)

    def _drop_globs(self, node: LMap, path: tuple) -> None:
        """Built artifacts (`../dist/*.whl`) cannot be named before they are built: drop them."""
        def prune(seq_owner: Optional[LNode], key: str, where: tuple, pick) -> None:
            entry = _entries(seq_owner).get(key)
            if entry is None or not isinstance(entry.value, LSeq):
                return
            kept = []
            for i, item in enumerate(entry.value.items):
                value = pick(item)
                if isinstance(value, str) and GLOB.search(value):
                    self.report.reported(item.loc, render_path(where + (key, i)),
                                         f"'{value}' names a built artifact by glob; dropped: {WHY['artifacts']}")
                else:
                    kept.append(item)
            entry.value.items = kept

        def library(item: LNode) -> Optional[str]:
            for lib_key in ("whl", "jar", "egg"):
                value = _entries(item).get(lib_key)
                if value is not None and isinstance(value.value, LScalar):
                    return value.value.value
            return None

        def scalar(item: LNode) -> Optional[str]:
            return item.value if isinstance(item, LScalar) else None

        tasks = _entries(node).get("tasks")
        for i, task in enumerate(tasks.value.items if tasks and isinstance(tasks.value, LSeq) else []):
            prune(task, "libraries", path + ("tasks", i), library)
        envs = _entries(node).get("environments")
        for i, environment in enumerate(envs.value.items if envs and isinstance(envs.value, LSeq) else []):
            prune(_entries(environment).get("spec", LEntry(environment.loc, LMap(environment.loc))).value,
                  "dependencies", path + ("environments", i, "spec"), scalar)
        prune(_entries(node).get("environment", LEntry(node.loc, LMap(node.loc))).value, "dependencies",
              path + ("environment",), scalar)

    def _note_changes(self, before: LNode, after: LNode, path: tuple) -> None:
        if isinstance(before, LMap) and isinstance(after, LMap):
            for key, entry in before.entries.items():
                if key in after.entries:
                    self._note_changes(entry.value, after.entries[key].value, path + (key,))
        elif isinstance(before, LSeq) and isinstance(after, LSeq):
            for i, (old, new) in enumerate(zip(before.items, after.items)):
                self._note_changes(old, new, path + (i,))
        elif isinstance(before, LScalar) and isinstance(after, LScalar) and before.value != after.value:
            self.report.translated(before.loc, render_path(path), f"path '{before.value}' -> '{after.value}'")

    def variables_config(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (entry, _) in sorted(self.variables.items()):
            path = ("variables", name)
            if isinstance(self.inline.get(name), (LMap, LSeq)):
                self.report.translated(entry.key_loc, render_path(path), "a list or mapping: inlined where used")
                continue
            for key, item in _entries(entry.value).items():
                if key == "lookup" or key == "type" and plain(item.value) == "complex":
                    self.report.reported(item.key_loc, render_path(path + (key,)),
                                         f"a {key} variable has no equivalent; give it a plain value per environment")
            nodes = self._values_of(name)
            values: dict[str, Any] = {}
            if "default" in nodes:
                values["default"] = self._variable_value(nodes["default"], path + ("default",))
            for target, env in sorted(self.target_map.items()):
                if target in nodes:
                    values[env] = self._variable_value(nodes[target], ("targets", target, "variables", name))
            if "default" not in values and len({str(v) for v in values.values()}) == 1 and \
                    len(values) == len([t for t in self.target_map if t in self.targets]):
                values = {"default": next(iter(values.values()))}
            if "default" not in values and set(values) != set(self.target_map.values()):
                values["default"] = "TODO"
                self.report.reported(entry.key_loc, render_path(path),
                                     "no value for every environment; default 'TODO' to fill in")
            self.report.translated(entry.key_loc, render_path(path), f"variable -> project variable {{{variable_name(name)}}}")
            out[variable_name(name)] = values["default"] if list(values) == ["default"] else values
        return out

    def _variable_value(self, node: LNode, path: tuple) -> str:
        if not isinstance(node, LScalar):
            self.report.reported(node.loc, render_path(path), "a complex value has no equivalent; 'TODO' to fill in")
            return "TODO"
        value = node.value
        text = "true" if value is True else "false" if value is False else "" if value is None else str(value)
        return self.expressions.text(text, LScalar(text, node.loc), path, in_variable=True) if "${" in text else text

    def overrides_and_target_specs(self, project: Project) -> dict[str, dict]:
        overrides: dict[str, dict] = {}
        for target, (entry, file) in sorted(self.targets.items()):
            env = self.target_map.get(target)
            if env is None:
                self.report.reported(entry.key_loc, f"targets.{target}",
                                     "no environment for this target (--target-map); skipped")
                continue
            for key, item in _entries(entry.value).items():
                path = ("targets", target, key)
                if key == "resources":
                    self._target_resources(item.value, file, path, env, overrides, project)
                elif key == "variables":
                    continue  # in variables_config
                elif key in IGNORED:
                    self.report.translated(item.key_loc, render_path(path), f"target '{target}' -> environment '{env}'")
                elif key == "permissions":
                    self._permissions(item, path, f"every object in target '{target}'")
                else:
                    self._setting(key, item, path)
        return overrides

    def _target_resources(self, node: LNode, file: str, path: tuple, env: str, overrides: dict,
                          project: Project) -> None:
        for kind, items in _entries(node).items():
            for key, entry in _entries(items.value).items():
                where = path + (kind, key)
                if kind not in SPEC_KINDS or not isinstance(entry.value, LMap):
                    self.report.reported(entry.key_loc, render_path(where), f"'{kind}' resources are not deployed "
                                                                           "by ML projects; create it elsewhere")
                    continue
                rel = f"{SPEC_KINDS[kind][1]}/{key}.yml"
                body = self.spec(_Source(entry.value, file, where), kind, key, override=True)
                if key in self.resources[kind]:
                    if body:
                        overrides.setdefault(env, {})[rel] = body
                        self.report.translated(entry.key_loc, render_path(where), f"-> overrides.{env}.{rel}")
                else:
                    body["deploy"] = {"environments": sorted({env} | set(
                        project.specs.get(rel, {}).get("deploy", {}).get("environments", [])))}
                    project.specs[rel] = {**project.specs.get(rel, {}), **body}
                    self.report.translated(entry.key_loc, render_path(where),
                                           f"defined only in target -> {rel} with deploy.environments")

    def project(self, repo_url: str, git_provider: str) -> Project:
        project = Project()
        for kind, items in self.resources.items():
            for key, source in sorted(items.items()):
                project.specs[f"{SPEC_KINDS[kind][1]}/{key}.yml"] = self.spec(source, kind, key)
        overrides = self.overrides_and_target_specs(project)
        config: dict[str, Any] = {
            "description": f"Imported from the Databricks Asset Bundle '{self.name}'.",
            "repo": {"url": repo_url, "provider": git_provider},
            "follow": {"default": {"branch": "main"}},
        }
        if self.project_extras["experiments"]:
            config["experiments"] = sorted(set(self.project_extras["experiments"]))
        if self.project_extras["models"]:
            config["models"] = dict(sorted(self.project_extras["models"].items()))
        variables = self.variables_config()
        if variables:
            config["variables"] = variables
        if overrides:
            config["overrides"] = overrides
        project.config = config
        self.report.reported(Location(self.bundle.main.rel, 1, 1), "(project)",
                             "follow: every environment follows branch 'main'; set the branch or tag per environment")
        return project
