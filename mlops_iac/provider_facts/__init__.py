"""Facts about the pinned Databricks provider (1.99.0) that synth-time validation needs.

Plain data, no cdktf import: the config validator (mlops_iac.config) and the constructs
(constructs_lib) both check against the same tables. Sources: the provider's permission
definitions and resource docs, summarized in the design card provider-facts.md.
"""
from .compute import (
    AUTOTERMINATION_RANGE, DATA_SECURITY_MODE_ALIASES, DATA_SECURITY_MODES, POLICY_NAME_MAX,
    canonical_json,
)
from .permissions import (
    ASSET_KINDS, BUILTIN_GROUPS, DEPLOYER_LEVEL, OWNER_KINDS, PERMISSION_LEVELS, SECRET_ACL_LEVELS,
)

__all__ = [
    "ASSET_KINDS", "AUTOTERMINATION_RANGE", "BUILTIN_GROUPS", "DATA_SECURITY_MODE_ALIASES",
    "DATA_SECURITY_MODES", "DEPLOYER_LEVEL", "OWNER_KINDS", "PERMISSION_LEVELS", "POLICY_NAME_MAX",
    "SECRET_ACL_LEVELS", "canonical_json",
]
