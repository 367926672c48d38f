"""Scaffolding: `new-env NAME --from EXISTING` and `new-project NAME`.

A team grows its estate by copying what works: a new environment starts as a copy of an existing
one with its own names, a new ML project as a skeleton that loads. Both edit YAML with ruamel's
round trip, so comments and layout survive, and load the whole estate afterwards: a result that
does not load is not written (or is removed again), and its diagnostics are printed.
"""
from __future__ import annotations

import io
import re
import shutil
from dataclasses import dataclass, field
from difflib import get_close_matches
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from mlops_iac.config import ConfigError, load_environments
from mlops_iac.config.pipeline import ACCESS_FILE, DEFAULTS_FILE, ENV_NAME

from .project_template import project_files

PROJECT_NAME = re.compile(r"[a-z][a-z0-9_-]{1,39}")
PROJECT_NAME_RULE = "2-40 lowercase letters, digits, '-' or '_', starting with a letter"
ENV_NAME_RULE = "2-16 lowercase letters and digits, starting with a letter"
NEXT_STEPS = ("make synth     # check the new stacks", "make golden    # snapshot them for review",
              "make docs      # the access matrix gets the new column")


class ScaffoldError(Exception):
    """Bad input or a result that does not load: the lines to print; nothing was written."""

    def __init__(self, *lines: str) -> None:
        self.lines = lines
        super().__init__("\n".join(lines))


@dataclass
class Scaffolded:
    written: list[Path] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def round_trip_yaml() -> YAML:
    """ruamel set up to reproduce this repository's YAML as written (indentation, long flow
    mappings, explicit nulls)."""
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.representer.add_representer(
        type(None), lambda rep, _: rep.represent_scalar("tag:yaml.org,2002:null", "null"))
    return yaml


def dump(yaml: YAML, data) -> str:
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue()


def validate_estate(envs_dir: Path, undo) -> None:
    """Load the whole estate; on errors undo the change and raise them."""
    try:
        load_environments(envs_dir)
    except ConfigError as error:
        undo()
        count = len(error.diagnostics)
        raise ScaffoldError(*(d.render() for d in error.diagnostics),
                            f"{count} error{'s' if count != 1 else ''} in the result; nothing written") from None
    except BaseException:
        undo()
        raise


# --- new-env -----------------------------------------------------------------------------------

def environment_names(envs_dir: Path) -> list[str]:
    return sorted(p.stem for p in envs_dir.glob("*.y*ml") if p.name not in (DEFAULTS_FILE, ACCESS_FILE))


def _derive(path: tuple[str, str], value: str, name: str) -> str:
    """A name that must be unique across environments but does not contain the source's name."""
    if path == ("storage", "account"):
        return re.sub(r"[^a-z0-9]", "", value.lower())[:24 - len(name)] + name
    if path == ("key_vault", "name"):
        return f"{value[:23 - len(name)].rstrip('-')}-{name}"
    return f"{value}-{name}"


# Names (path in the environment file) that differ per environment; True: must be unique across
# environments, so one that does not contain the source's name gets a derived one.
ENV_NAMES = {("azure", "resource_group"): False, ("workspace", "name"): True,
             ("workspace", "managed_resource_group"): True, ("storage", "account"): True,
             ("key_vault", "name"): True, ("state", "key_prefix"): False}


def _rename(data: CommentedMap, source: str, name: str, notes: list[str]) -> None:
    for (section, key), unique in ENV_NAMES.items():
        block = data.get(section)
        if not isinstance(block, dict) or not isinstance(block.get(key), str):
            continue
        value = block[key]
        if source in value:
            block[key] = value.replace(source, name)
        elif unique:
            block[key] = _derive((section, key), value, name)
            notes.append(f"{section}.{key}: '{value}' does not name '{source}'; derived '{block[key]}'")
    if isinstance(data.get("display_name"), str):
        shown = data["display_name"]
        data["display_name"] = (re.sub(re.escape(source), lambda found: _same_case(found.group(), name), shown,
                                       flags=re.I)
                                if source.lower() in shown.lower() else name.capitalize())


def _same_case(found: str, name: str) -> str:
    """name written like the text it replaces: QA -> DEV2, Prodfix -> Dev2, prod -> dev2."""
    if found.isupper():
        return name.upper()
    return name.capitalize() if found[:1].isupper() else name


def _greenfield_workspace_name(others: list, name: str) -> str:
    """The naming pattern of the estate's created workspaces, applied to the new environment."""
    for env in others:
        if env.config.workspace.name and env.config.name in env.config.workspace.name:
            return env.config.workspace.name.replace(env.config.name, name)
    return f"dbw-{name}"


def _adopted_to_greenfield(data: CommentedMap, environments: list, name: str, notes: list[str]) -> None:
    workspace = data.get("workspace")
    if not isinstance(workspace, dict) or "existing" not in workspace:
        return
    new_name = _greenfield_workspace_name(environments, name)
    position = list(workspace).index("existing")
    del workspace["existing"]
    workspace.insert(position, "name", new_name)
    notes.append(f"workspace: the source adopts an existing workspace, which two environments cannot "
                 f"share; '{name}' creates its own, '{new_name}' (or set workspace.existing to adopt another)")


def _keyed_by(value, source: str, path: str = "") -> list[str]:
    """Key paths of mappings in a YAML tree that have the environment name ``source`` as a key."""
    if isinstance(value, dict):
        found = [f"{path}.{source}".lstrip(".")] if source in value else []
        for key, child in value.items():
            found += _keyed_by(child, source, f"{path}.{key}")
        return found
    return [p for item in value for p in _keyed_by(item, source, path)] if isinstance(value, list) else []


def _per_environment_notes(envs_dir: Path, source: str, name: str) -> list[str]:
    """Settings keyed by the source's name (access matrix, projects) do not carry over."""
    files = [envs_dir / ACCESS_FILE, *sorted((envs_dir.parent / "projects").glob("*/project.yaml"))]
    safe = YAML(typ="safe", pure=True)
    notes = []
    for path in (f for f in files if f.is_file()):
        for key_path in _keyed_by(safe.load(path.read_text()), source):
            notes.append(f"{path}: {key_path} applies to '{source}' only; '{name}' gets the stage or "
                         f"default value there (add a '{name}' key to match)")
    return notes


def new_env(envs_dir: Path, name: str, source: str) -> Scaffolded:
    """envs/<name>.yaml: a copy of envs/<source>.yaml with the new environment's own names."""
    existing = environment_names(envs_dir)
    if not ENV_NAME.fullmatch(name):
        raise ScaffoldError(f"'{name}' is not a valid environment name (expected {ENV_NAME_RULE})")
    target = envs_dir / f"{name}.yaml"
    if name in existing:
        raise ScaffoldError(f"environment '{name}' exists already ({envs_dir / (name + '.yaml')}); "
                            "choose another name (nothing written)")
    if source not in existing:
        hint = get_close_matches(source, existing, n=1)
        raise ScaffoldError(f"--from: no environment '{source}' in {envs_dir}/ (expected one of "
                            f"{', '.join(existing)})" + (f"; did you mean '{hint[0]}'?" if hint else ""))
    environments = load_environments(envs_dir)  # the source must load before it is copied
    source_path = next(p for p in envs_dir.glob(f"{source}.y*ml"))
    yaml = round_trip_yaml()
    data = yaml.load(source_path.read_text())
    result = Scaffolded()
    _rename(data, source, name, result.notes)
    _adopted_to_greenfield(data, environments, name, result.notes)
    if isinstance(data.get("workspace"), dict) and "vnet" in data["workspace"]:
        result.notes.append("workspace.vnet: a subnet pair hosts one workspace only: point it at "
                            f"subnets of '{name}'")
    text = dump(yaml, data)
    header = f"# {name}: copied from {source} by `mlops-iac new-env`; review the names and comments.\n"
    lines = text.splitlines(keepends=True)
    at = 1 if lines and lines[0].startswith("# yaml-language-server") else 0
    target.write_text("".join(lines[:at]) + header + "".join(lines[at:]))
    validate_estate(envs_dir, target.unlink)
    result.written.append(target)
    result.notes += _per_environment_notes(envs_dir, source, name)
    return result


# --- new-project -------------------------------------------------------------------------------

def _add_to_defaults(defaults: Path, name: str) -> str:
    """The new text of envs/defaults.yaml with name appended to `projects:`; the old text."""
    yaml = round_trip_yaml()
    old = defaults.read_text() if defaults.exists() else ""
    data = yaml.load(old) if old.strip() else CommentedMap()
    projects = data.get("projects")
    if projects is None:
        projects = CommentedSeq()
        projects.fa.set_flow_style()
        data["projects"] = projects
    projects.append(name)
    return dump(yaml, data)


def new_project(envs_dir: Path, name: str) -> Scaffolded:
    """projects/<name>/ (project.yaml, one job, one test spec) listed in envs/defaults.yaml."""
    if not PROJECT_NAME.fullmatch(name):
        raise ScaffoldError(f"'{name}' is not a valid project name (expected {PROJECT_NAME_RULE})")
    folder = envs_dir.parent / "projects" / name
    if folder.exists():
        raise ScaffoldError(f"project '{name}' exists already ({folder}); choose another name (nothing written)")
    defaults = envs_dir / DEFAULTS_FILE
    old_defaults = defaults.read_text() if defaults.exists() else None
    yaml = round_trip_yaml()
    if old_defaults and name in ((yaml.load(old_defaults) or {}).get("projects") or []):
        raise ScaffoldError(f"{defaults}: projects already lists '{name}' but projects/{name}/ does not "
                            "exist; remove it from the list or create the folder (nothing written)")
    new_defaults = _add_to_defaults(defaults, name)
    result = Scaffolded()
    for rel, text in project_files(name).items():
        (folder / rel).parent.mkdir(parents=True, exist_ok=True)
        (folder / rel).write_text(text)
        result.written.append(folder / rel)
    defaults.write_text(new_defaults)
    result.written.append(defaults)

    def undo() -> None:
        shutil.rmtree(folder, ignore_errors=True)
        if old_defaults is None:
            defaults.unlink()
        else:
            defaults.write_text(old_defaults)

    validate_estate(envs_dir, undo)
    return result
