"""Cluster policies: canonical JSON definitions or a policy family with overrides, and CAN_USE."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence

from constructs import Construct

from mlops_iac.provider_facts import POLICY_NAME_MAX, canonical_json

from .permissions import AccessGrant, ObjectPermissions
from .provider import databricks_resource


@dataclass(frozen=True)
class LibraryProps:
    """Exactly one of the fields."""
    pypi_package: Optional[str] = None
    pypi_repo: Optional[str] = None
    maven_coordinates: Optional[str] = None
    maven_repo: Optional[str] = None
    maven_exclusions: Sequence[str] = ()
    whl: Optional[str] = None
    jar: Optional[str] = None
    requirements: Optional[str] = None


@dataclass(frozen=True)
class ClusterPolicyProps:
    name: str  # unique in the workspace, 1-100 characters
    definition: Optional[Mapping[str, Any]] = None  # or policy_family_id (+ overrides)
    policy_family_id: Optional[str] = None
    family_overrides: Optional[Mapping[str, Any]] = None
    description: Optional[str] = None
    max_clusters_per_user: Optional[int] = None  # left out: no limit
    libraries: Sequence[LibraryProps] = ()
    # Init script workspace paths fixed on every cluster of the policy (added to the definition).
    init_script_paths: Sequence[str] = ()
    access: Sequence[AccessGrant] = ()  # CAN_USE grants; left out: only admins can use it


class ClusterPolicy(Construct):
    def __init__(self, scope: Construct, id: str, props: ClusterPolicyProps) -> None:
        super().__init__(scope, id)
        problems = []
        if not 1 <= len(props.name) <= POLICY_NAME_MAX:
            problems.append(f"name has {len(props.name)} characters (expected 1-{POLICY_NAME_MAX})")
        if (props.definition is None) == (props.policy_family_id is None):
            problems.append("set exactly one of definition or policy_family_id")
        if props.family_overrides and props.policy_family_id is None:
            problems.append("family_overrides need a policy_family_id")
        if props.max_clusters_per_user is not None and props.max_clusters_per_user < 1:
            problems.append("max_clusters_per_user must be > 0")
        if problems:
            raise ValueError(f"{self.node.path}: " + "; ".join(problems))
        rules = dict(props.definition or props.family_overrides or {})
        for i, path in enumerate(props.init_script_paths):
            rules[f"init_scripts.{i}.workspace.destination"] = {"type": "fixed", "value": path}
        body = canonical_json(rules) if rules else None
        self.resource = databricks_resource(self, "policy", "databricks_cluster_policy", dict(
            name=props.name,
            description=props.description,
            definition=body if props.policy_family_id is None else None,
            policy_family_id=props.policy_family_id,
            policy_family_definition_overrides=body if props.policy_family_id else None,
            max_clusters_per_user=props.max_clusters_per_user,
            libraries=[_library(lib) for lib in props.libraries] or None,
        ))
        if props.access:
            ObjectPermissions(self, "permissions", kind="cluster_policy", object_ref=self.policy_id,
                              object_key=f"cluster-policy:{props.name}", grants=props.access)

    @property
    def policy_id(self) -> str:
        return self.resource.attribute("id")


def _present(**values) -> dict:
    return {key: value for key, value in values.items() if value is not None}


def _library(lib: LibraryProps) -> dict:
    if lib.pypi_package:
        return {"pypi": _present(package=lib.pypi_package, repo=lib.pypi_repo)}
    if lib.maven_coordinates:
        return {"maven": _present(coordinates=lib.maven_coordinates, repo=lib.maven_repo,
                                  exclusions=list(lib.maven_exclusions) or None)}
    return _present(whl=lib.whl, jar=lib.jar, requirements=lib.requirements)
