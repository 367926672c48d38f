"""A job exported from a workspace (`databricks jobs get` JSON) as a spec.

The export wraps the settings (`settings:`) in read-only fields Databricks sets itself; those are
dropped, the settings unwrapped, and personal workspace paths reported (they fail in staging and
production: move the code into the project's repository and use `{REPO_PATH}/...`).
"""
from __future__ import annotations

import json
from pathlib import Path

from ..binder import render_path
from ..located import LMap, LNode, LSeq, Location, plain
from ..projects.paths import PERSONAL
from ..safe_read import InputError, parse_json, read_text
from .reader import BundleError, read_yaml
from .report import ImportReport

READ_ONLY = ("job_id", "created_time", "creator_user_name", "run_as_user_name", "run_as_owner",
             "effective_budget_policy_id", "effective_usage_policy_id", "trigger_state", "has_more",
             "next_page_token")
READ_ONLY_SETTINGS = ("format", "edit_mode", "deployment", "run_as")


def _walk_personal(node: LNode, path: tuple, report: ImportReport) -> None:
    if isinstance(node, LMap):
        for key, entry in node.entries.items():
            _walk_personal(entry.value, path + (key,), report)
    elif isinstance(node, LSeq):
        for i, item in enumerate(node.items):
            _walk_personal(item, path + (i,), report)
    elif isinstance(node.value, str) and PERSONAL.match(node.value):
        report.reported(node.loc, render_path(path), f"personal workspace path '{node.value}': fails in staging "
                                                     "and production; use '{REPO_PATH}/...' in the project's repository")


def job_spec(path: Path, display: str, report: ImportReport) -> dict:
    try:  # any path the user names (an export lies outside the project), but bounded and regular
        parse_json(read_text(path, None))  # JSON errors in JSON terms
    except InputError as exc:
        raise BundleError(f"{display}: not a JSON job export (line {exc.line}): {exc.message}") from None
    root = read_yaml(path, display)  # JSON is YAML: located values for the report
    settings = root.entries.get("settings")
    for key, entry in root.entries.items():
        if key in READ_ONLY:
            report.translated(entry.key_loc, key, "read-only field dropped")
        elif key != "settings":
            report.reported(entry.key_loc, key, "unknown field of a job export; dropped")
    node = settings.value if settings is not None and isinstance(settings.value, LMap) else root
    if settings is None:
        node = LMap(root.loc, {k: e for k, e in root.entries.items() if k not in READ_ONLY})
    else:
        report.translated(settings.key_loc, "settings", "unwrapped")
    spec = LMap(node.loc, {})
    for key, entry in node.entries.items():
        if key in READ_ONLY_SETTINGS:
            report.reported(entry.key_loc, f"settings.{key}", "set by Databricks or by the environment; dropped")
        else:
            spec.entries[key] = entry
    _walk_personal(spec, (), report)
    if not spec.entries:
        report.reported(Location(display, 1, 1), "(top level)", "no job settings found")
    return plain(spec)
