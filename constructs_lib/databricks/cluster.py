"""A shared interactive cluster: always under a policy, always auto-terminating."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, Optional, Sequence

from constructs import Construct

from mlops_iac.provider_facts import AUTOTERMINATION_RANGE, DATA_SECURITY_MODES

from .permissions import AccessGrant, ObjectPermissions
from .provider import databricks_resource


@dataclass(frozen=True)
class InteractiveClusterProps:
    cluster_name: str
    spark_version: str
    node_type_id: str
    policy_id: Optional[str] = None  # left out: no policy (allowed, but the guardrails flag it)
    num_workers: Optional[int] = None  # or autoscale
    autoscale: Optional[tuple[int, int]] = None  # (min_workers, max_workers)
    autotermination_minutes: int = 60
    data_security_mode: str = "USER_ISOLATION"
    single_user_name: Optional[str] = None
    init_script_paths: Sequence[str] = ()
    spark_conf: Mapping[str, str] = field(default_factory=dict)
    custom_tags: Mapping[str, str] = field(default_factory=dict)
    access: Sequence[AccessGrant] = ()


class InteractiveCluster(Construct):
    def __init__(self, scope: Construct, id: str, props: InteractiveClusterProps) -> None:
        super().__init__(scope, id)
        low, high = AUTOTERMINATION_RANGE
        problems = []
        if (props.num_workers is None) == (props.autoscale is None):
            problems.append("set exactly one of num_workers or autoscale")
        if not low <= props.autotermination_minutes <= high:
            problems.append(f"autotermination_minutes {props.autotermination_minutes} outside {low}-{high}")
        if props.data_security_mode not in DATA_SECURITY_MODES:
            problems.append(f"data_security_mode {props.data_security_mode} (expected one of "
                            f"{', '.join(DATA_SECURITY_MODES)})")
        if problems:
            raise ValueError(f"{self.node.path}: " + "; ".join(problems))
        self.resource = databricks_resource(self, "cluster", "databricks_cluster", dict(
            cluster_name=props.cluster_name,
            spark_version=props.spark_version,
            node_type_id=props.node_type_id,
            policy_id=props.policy_id,
            apply_policy_default_values=True if props.policy_id else None,
            num_workers=props.num_workers,
            autoscale={"min_workers": props.autoscale[0], "max_workers": props.autoscale[1]}
            if props.autoscale else None,
            autotermination_minutes=props.autotermination_minutes,
            data_security_mode=props.data_security_mode,
            single_user_name=props.single_user_name,
            init_scripts=[{"workspace": {"destination": p}} for p in props.init_script_paths] or None,
            spark_conf=dict(sorted(props.spark_conf.items())) or None,
            custom_tags=dict(sorted(props.custom_tags.items())) or None,
        ))
        if props.access:
            ObjectPermissions(self, "permissions", kind="cluster", object_ref=self.cluster_id,
                              object_key=f"cluster:{props.cluster_name}", grants=props.access)

    @property
    def cluster_id(self) -> str:
        return self.resource.attribute("id")
