"""Typed model of an ML project folder: projects/<name>/project.yaml.

Spec files (jobs/*.yml, delta_live_tables/*.yml, tests/*.yml) are not bound to dataclasses: they
follow the Jobs / Pipelines API and are checked against the provider's schema (spec_schema.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, Optional, Union

from ..fields import setting

PerEnvironment = Union[str, dict[str, str]]
GIT_PROVIDERS = ("gitHub", "gitHubEnterprise", "bitbucketCloud", "bitbucketServer", "azureDevOpsServices",
                 "gitLab", "gitLabEnterpriseEdition", "awsCodeCommit")


# git check-ref-format, in short: no spaces, control characters, ~ ^ : ? * [ \\, '..', '//' or '@{';
# not empty, not starting with '-', '/' or '.', not ending with '/', '.' or '.lock'.
GIT_REF = r"(?![-/.])(?!.*(\.\.|//|@\{|/\.))[^\s~^:?*\[\\\x00-\x1f\x7f]+(?<![/.])(?<!\.lock)"
GIT_REF_RULE = "a git branch or tag name (no spaces, '..', '~^:?*[\\', not empty)"
EXPERIMENT = r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}"


@dataclass(frozen=True)
class GitRef:
    branch: Optional[str] = setting("Follow a branch.", default=None, pattern=GIT_REF, expected=GIT_REF_RULE)
    tag: Optional[str] = setting("Pin a tag (a release).", default=None, pattern=GIT_REF, expected=GIT_REF_RULE)


@dataclass(frozen=True)
class RepoConfig:
    url: str = setting("HTTPS URL of the project repository.", pattern=r"https://\S+",
                       expected="an https:// clone URL")
    provider: Literal[GIT_PROVIDERS] = setting("Git provider, as Databricks names it.")  # type: ignore[valid-type]


@dataclass(frozen=True)
class ModelConfig:
    description: Optional[str] = setting("Shown in the model registry.", default=None)


@dataclass(frozen=True)
class TestsConfig:
    environments: tuple[str, ...] = setting(
        "Where the integration test jobs (tests/*.yml) are deployed: environment names or stages.",
        default=("staging",), unique=True)


@dataclass(frozen=True)
class PathsConfig:
    spec_root: str = setting(
        "The repository folder that spec files stand for: a relative path in jobs/x.yml resolves as "
        "if the spec were <repo>/<spec_root>/x.yml (the bundle convention), against the environment's "
        "git folder. '.' for the repository root.", default="resources",
        pattern=r"\.|[A-Za-z0-9_-][A-Za-z0-9_.-]*(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)*",
        expected="a relative folder inside the repository, e.g. resources")


@dataclass(frozen=True)
class ProjectConfig:
    repo: RepoConfig = setting("The project's git repository, synced as a git folder.")
    follow: dict[str, GitRef] = setting(
        "Branch or tag per environment name, stage or default, e.g. development: {branch: develop}, "
        "production: {tag: v1.4.0}.")
    description: Optional[str] = setting("What the project predicts.", default=None)
    registry: PerEnvironment = setting(
        "Model registry per environment: workspace (MLflow workspace registry) or unity_catalog.",
        default="workspace")
    catalog: Optional[PerEnvironment] = setting(
        "Unity Catalog catalog per environment (needed where registry is unity_catalog).", default=None)
    schema: Optional[str] = setting("Unity Catalog schema. Left out: the project name with '_'.",
                                    default=None, pattern=r"[a-z][a-z0-9_]{0,127}",
                                    expected="lowercase letters, digits and '_'")
    models: dict[str, ModelConfig] = setting("Registered models. Left out: one named after the project.",
                                             default_factory=dict)
    experiments: tuple[str, ...] = setting(
        "MLflow experiments, created in the project's experiment folder. Left out: one named after "
        "the project.", default=(), unique=True, pattern=EXPERIMENT,
        expected="a name inside the experiment folder: letters, digits, '.', '-', '_', no '/', not starting with '.'")
    variables: dict[str, PerEnvironment] = setting(
        "Placeholders for specs ({name}), one value or one per environment name / stage / default.",
        default_factory=dict)
    tests: TestsConfig = setting("Integration tests (tests/*.yml).", default=TestsConfig())
    paths: PathsConfig = setting("How relative paths in specs resolve against the repository.",
                                 default=PathsConfig())
    overrides: dict[str, dict[str, Any]] = setting(
        "Per environment name or stage: spec file (e.g. jobs/model-train.yml) -> fields to change.",
        default_factory=dict)


@dataclass(frozen=True)
class DeployOptions:
    """The `deploy:` block a spec may carry; removed before the spec goes to Databricks."""
    environments: Optional[tuple[str, ...]] = setting(
        "Environment names or stages to deploy this spec to. Left out: wherever the project is.",
        default=None, unique=True)
    unpaused_outside_production: bool = setting(
        "Keep schedules, triggers and continuous runs active outside production (default: paused).",
        default=False)
