"""Import Databricks Asset Bundles and workspace job exports as ML projects (never imports cdktf).

    python -m stacks import-bundle BUNDLE_DIR --project NAME [--target-map dev=prodfix,prod=prod]
    python -m stacks import-job JOB.json --project NAME
"""
from __future__ import annotations

import re
from pathlib import Path
from typing import Optional

from ..located import Location
from .job_json import job_spec
from .reader import BundleError, read_bundle
from .report import ImportReport
from .translate import BundleTranslator
from .writer import write_project

__all__ = ["BundleError", "ImportReport", "import_bundle", "import_job", "parse_target_map"]
PLACEHOLDER_URL = "https://example.invalid/REPLACE-ME/{project}.git"


def parse_target_map(text: Optional[str]) -> Optional[dict[str, str]]:
    """`dev=prodfix,staging=qa,prod=prod` -> {dev: prodfix, ...}."""
    if not text:
        return None
    pairs = [part.split("=", 1) for part in text.split(",") if part.strip()]
    if any(len(p) != 2 or not p[0].strip() or not p[1].strip() for p in pairs):
        raise BundleError(f"--target-map '{text}': expected target=environment pairs, e.g. dev=prodfix,prod=prod")
    return {target.strip(): env.strip() for target, env in pairs}


def _target_folder(projects_dir: Path, project: str, specs: list[str], fresh: bool) -> Path:
    if not re.fullmatch(r"[a-z][a-z0-9-]{0,62}", project):
        raise BundleError(f"--project '{project}': expected lowercase letters, digits and '-'")
    folder = projects_dir / project
    clash = [rel for rel in (["project.yaml"] if fresh else []) + specs if (folder / rel).exists()]
    if clash:
        raise BundleError(f"{folder}: {', '.join(clash)} already exist; import into a new project")
    return folder


def import_bundle(bundle_dir: Path, project: str, projects_dir: Path, target_map: Optional[dict[str, str]] = None,
                  repo_url: Optional[str] = None, git_provider: str = "gitHub", bundle_folder: str = "") -> ImportReport:
    """``bundle_folder``: where the bundle lives in the project's repository ('' for its root)."""
    if bundle_folder.startswith("/") or ".." in bundle_folder.split("/"):
        raise BundleError(f"--bundle-folder '{bundle_folder}': expected a folder inside the repository")
    report = ImportReport()
    bundle = read_bundle(bundle_dir)
    translator = BundleTranslator(bundle, target_map, report, bundle_folder)
    url = repo_url or PLACEHOLDER_URL.format(project=project)
    result = translator.project(url, git_provider)
    if repo_url is None:
        report.reported(bundle.main.node.loc, "(project)", f"repo.url: '{url}' to replace (--repo-url)")
    folder = _target_folder(projects_dir, project, sorted(result.specs), fresh=True)
    written = write_project(folder, result.config, result.specs, f"bundle {bundle_dir.name}")
    report.written = [str(p) for p in written]
    return report


def import_job(job_file: Path, project: str, projects_dir: Path, key: Optional[str] = None,
               repo_url: Optional[str] = None, git_provider: str = "gitHub") -> ImportReport:
    report = ImportReport()
    spec = job_spec(job_file, job_file.name, report)
    name = key or re.sub(r"[^a-z0-9]+", "-", str(spec.get("name", job_file.stem)).lower()).strip("-") or "job"
    folder = projects_dir / project
    fresh = not (folder / "project.yaml").exists()
    rel = f"jobs/{name}.yml"
    _target_folder(projects_dir, project, [rel], fresh)
    config = None
    if fresh:
        url = repo_url or PLACEHOLDER_URL.format(project=project)
        config = {"description": f"Imported from the workspace job export {job_file.name}.",
                  "repo": {"url": url, "provider": git_provider}, "follow": {"default": {"branch": "main"}}}
        report.reported(Location(job_file.name, 1, 1), "(project)",
                        f"new project.yaml: repo.url '{url}' and follow branch 'main' to review")
    written = write_project(folder, config, {rel: spec}, f"job export {job_file.name}")
    report.written = [str(p) for p in written]
    return report
