"""The default rule pack. Add your own rules with ``DEFAULT_PACK.with_rules(Rule(...))`` (a
repository's own rules live in its stacks/rules.py, which mlops-iac applies after this pack)."""
from __future__ import annotations

from .model import Level, Pack, Rule
from .rules.databricks import (
    clusters_terminate, no_personal_access_tokens, prod_clusters_isolate_users, prod_jobs_time_out,
    secret_scopes_not_managed_by_groups,
)
from .rules.compute import clusters_use_a_policy, no_personal_compute_in_prod, schedules_paused_outside_prod
from .rules.identity import prod_owner_is_not_a_user, prod_runs_as_service_principal
from .rules.platform import (
    key_vault_scope_reachable, prod_stateful_prevent_destroy, prod_workspace_is_private, required_tags,
)
from .rules.security import explicit_permissions, no_literal_secrets

E, W = Level.ERROR, Level.WARNING

DEFAULT_PACK = Pack("mlops-default", (
    Rule("PROD-RUN-AS-SP", E, "production job or pipeline does not run as a service principal",
         "A job running as a person stops when that person leaves and acts with their rights.",
         prod_runs_as_service_principal),
    Rule("PROD-OWNER-NOT-USER", E, "production job or pipeline is owned by a user",
         "Ownership grants full control; in production it belongs to the deploying service principal.",
         prod_owner_is_not_a_user),
    Rule("CLUSTER-POLICY", E, "cluster without a cluster policy",
         "Policies cap size, runtime and cost and fix tags; a cluster without one escapes all of that.",
         clusters_use_a_policy),
    Rule("REQUIRED-TAGS", E, "resource or cluster without the required tags (cost_center, environment, project)",
         "Untagged spend cannot be charged back or traced to an environment and project.", required_tags),
    Rule("SCHEDULE-PAUSED-OUTSIDE-PROD", W, "schedule or trigger active outside production",
         "Non-production schedules burn compute and can write to shared tables; opt in deliberately.",
         schedules_paused_outside_prod),
    Rule("NO-PERSONAL-COMPUTE-PROD", E, "personal compute policy in production",
         "Production compute is created by automation only; personal clusters there bypass change control.",
         no_personal_compute_in_prod),
    Rule("PROD-PRIVATE-WORKSPACE", E, "production workspace allows public network access",
         "A private workspace is reachable only through private endpoints of the corporate network.",
         prod_workspace_is_private),
    Rule("NO-LITERAL-SECRETS", E, "literal secret or token in the synthesized configuration",
         "Synthesized JSON is committed, reviewed and stored in state: secrets belong in Key Vault.",
         no_literal_secrets),
    Rule("EXPLICIT-PERMISSIONS", E, "object without explicit permissions",
         "Without an ACL only the creator and admins can use the object; access should be reviewable code.",
         explicit_permissions),
    Rule("PROD-PREVENT-DESTROY", E, "stateful production resource without prevent_destroy",
         "A replaced workspace, storage account, model or experiment loses data or history.",
         prod_stateful_prevent_destroy),
    Rule("CLUSTER-AUTOTERMINATION", E, "all-purpose cluster without auto-termination",
         "An idle interactive cluster bills until someone remembers it; auto-termination stops it.",
         clusters_terminate, fix="set autotermination_minutes (10 to 43200) on the cluster"),
    Rule("PROD-DATA-SECURITY-MODE", E, "production cluster without user isolation (data_security_mode NONE or legacy)",
         "Without Unity Catalog access modes every user of the cluster reads with the cluster's rights.",
         prod_clusters_isolate_users,
         fix="set data_security_mode: USER_ISOLATION (shared) or SINGLE_USER (one principal) on the cluster"),
    Rule("NO-PERSONAL-ACCESS-TOKENS", E, "personal access token managed or used by Terraform",
         "A token created here sits in the state file; one used by the provider acts as whoever minted it. "
         "Authenticate with Entra ID (service principal or managed identity).", no_personal_access_tokens,
         fix="remove the token; authenticate the provider with Entra ID (ARM_* variables or a managed identity)"),
    Rule("SECRET-SCOPE-NO-GROUP-MANAGE", E, "a group may manage a secret scope",
         "MANAGE lets every member change the scope's ACLs and read every secret; groups READ, the deployer manages.",
         secret_scopes_not_managed_by_groups,
         fix="give groups READ (or WRITE) on the scope in the access matrix; only the deployer manages it"),
    Rule("PROD-JOB-TIMEOUT", W, "production job without a timeout",
         "A hung production run holds its cluster and blocks the next run (max_concurrent_runs); a timeout ends it.",
         prod_jobs_time_out, fix="set timeout_seconds in the job spec (or in its production override)"),
    Rule("KEY-VAULT-SCOPE-REACHABLE", W, "Key Vault firewall shuts out the Databricks control plane",
         "A Key Vault-backed secret scope is read by the Azure Databricks control plane over the vault's "
         "public endpoint; trusted-services bypass does not cover it, so with no address admitted every "
         "secret read fails at run time (plan and apply succeed).", key_vault_scope_reachable,
         fix="list the region's Azure Databricks control-plane addresses in network.key_vault_allowed_ip_ranges "
             "(Azure Databricks docs: IP addresses and domains)"),
))

RULE_IDS = tuple(rule.id for rule in DEFAULT_PACK.rules)
