"""How to fix a guardrail finding in this repository's config, and how to suppress it.

The rules judge Terraform JSON and know nothing of the config; this module knows both: it turns a
finding (rule, resource, origin) into the setting to change, with the file:line where it lives,
shown before the suppression. A rule it does not know keeps its own ``fix``.
"""
from __future__ import annotations

import dataclasses
import os
import re
from typing import Callable

from mlops_iac.guardrails import Finding
from mlops_iac.guardrails.model import REASON_MIN
from mlops_iac.config.access import ACCESS_FILE
from mlops_iac.config.pipeline import LoadedEnvironment

from .origins import located

# Resource type -> the asset kind of the access matrix that grants on it.
MATRIX_KINDS = {
    "databricks_job": "job", "databricks_pipeline": "pipeline", "databricks_mlflow_experiment": "experiment",
    "databricks_mlflow_model": "registered_model", "databricks_registered_model": "uc_registered_model",
}
LACKS = re.compile(r"lacks ([a-z_]+(?:, [a-z_]+)*)")


class Advisor:
    """The config-oriented fix of findings in one environment's stacks."""

    def __init__(self, loaded: LoadedEnvironment) -> None:
        self.env, self.locations = loaded.config, loaded.locations
        source = self.locations.source
        self.env_file = source.own_file if source is not None else f"envs/{self.env.name}.yaml"
        self.access_file = os.path.join(os.path.dirname(self.env_file), ACCESS_FILE)

    def at(self, *key_path: str) -> str:
        """Where the config writes a setting (``azure.tags at file:line``), or, when it is not
        written, the nearest key above it that is (``workspace at file:line``)."""
        locations = self.locations
        written = tuple(key_path)
        while written and written not in locations.keys:
            written = written[:-1]
        where = located(locations, key_path)
        return f"{'.'.join(written)} at {where}" if written else f"in {where.file}"

    def advise(self, finding: Finding) -> Finding:
        fix = FIXES.get(finding.rule_id)
        text = fix(self, finding) if fix else ""
        return dataclasses.replace(finding, fix=text or finding.fix, suppress_hint=self.suppress_hint(finding))

    def suppress_hint(self, finding: Finding) -> str:
        resource = finding.path.split("/", 1)[-1]
        return (f"guardrails.suppressions in {self.env_file}: - {{rule: {finding.rule_id}, resource: {resource}, "
                f"reason: <why, {REASON_MIN}+ characters>}}")

    def spec_file(self, finding: Finding) -> str:
        return finding.origin.file if finding.origin else "the spec"


def _rtype(finding: Finding) -> str:
    return finding.address.split(".", 1)[0]


def run_as_service_principal(advisor: Advisor, finding: Finding) -> str:
    env = advisor.env
    if env.deployer is None:
        choices = ", ".join(sorted(env.service_principals)) or "declare one under service_principals"
        return (f"set deployer: <service principal key> in {advisor.env_file} ({choices}): production jobs "
                "and pipelines then run as it")
    return f"remove run_as from {advisor.spec_file(finding)}: it defaults to the deployer '{env.deployer}'"


def owner_not_a_user(advisor: Advisor, finding: Finding) -> str:
    kind = "pipeline" if "/pipeline-" in finding.path else "job"
    return (f"make the deployer the owner in the access matrix ({advisor.access_file}): "
            f"matrix.<role with deployer: true>.{kind}: IS_OWNER, and no user with IS_OWNER")


def cluster_policy(advisor: Advisor, finding: Finding) -> str:
    if _rtype(finding) == "databricks_cluster" and finding.origin:
        policies = ", ".join(sorted(advisor.env.cluster_policies)) or "define one under cluster_policies"
        return f"set {finding.origin.key}.policy ({finding.origin}) to a policy key ({policies})"
    purpose = "pipeline" if _rtype(finding) == "databricks_pipeline" else "job"
    return (f"give the environment a cluster policy with purpose: {purpose} ({advisor.at('cluster_policies')}): "
            f"every {purpose} cluster then runs under it")


def required_tags(advisor: Advisor, finding: Finding) -> str:
    match = LACKS.search(finding.message)
    tags = match.group(1).split(", ") if match else ["<tag>"]
    if _rtype(finding).startswith("azurerm_"):
        return "add " + ", ".join(f"azure.tags.{t}" for t in tags) + f" ({advisor.at('azure', 'tags')})"
    if _rtype(finding) == "databricks_cluster" and finding.origin:
        return (f"add {', '.join(f'custom_tags.{t}' for t in tags)} to {finding.origin.key} ({finding.origin}), "
                "or fix them in its policy's definition (custom_tags.<tag>: {type: fixed, value: ...})")
    return (f"add {', '.join(f'custom_tags.{t}' for t in tags)} to the job's clusters in "
            f"{advisor.spec_file(finding)}, or fix them in the job policy's definition "
            f"({advisor.at('cluster_policies')}: custom_tags.<tag>: {{type: fixed, value: ...}})")


def schedule_paused(advisor: Advisor, finding: Finding) -> str:
    return (f"remove deploy.unpaused_outside_production from {advisor.spec_file(finding)} (schedules and "
            f"triggers are then PAUSED outside production), or keep it if {advisor.env.name} should run it")


def no_personal_compute(advisor: Advisor, finding: Finding) -> str:
    key = finding.origin.key.split(".", 1)[-1] if finding.origin else "<key>"
    return f"remove the policy in {advisor.env_file}: cluster_policies: {{{key}: null}} (set at {finding.origin})"


def private_workspace(advisor: Advisor, finding: Finding) -> str:
    fix = f"set workspace.public_network_access: false ({advisor.at('workspace', 'public_network_access')})"
    if advisor.env.workspace.vnet is None:
        fix += (", with workspace.vnet (virtual_network_id, public_subnet, private_subnet) and "
                "workspace.network_security_group_rules: NoAzureDatabricksRules")
    return fix


def literal_secrets(advisor: Advisor, finding: Finding) -> str:
    scope = advisor.env.secret_scope.name if advisor.env.secret_scope else "<scope>"
    where = f" in {finding.origin.file}" if finding.origin else ""
    return (f"put the value in the environment's Key Vault and write {{{{secrets/{scope}/<key>}}}} "
            f"instead of it{where}")


def explicit_permissions(advisor: Advisor, finding: Finding) -> str:
    kind = MATRIX_KINDS.get(_rtype(finding), "<kind>")
    return (f"grant it in the access matrix ({advisor.access_file}): matrix.<role>.{kind}: <level> "
            f"for {advisor.env.stage} (at least the deployer's owner level)")


def prevent_destroy(advisor: Advisor, finding: Finding) -> str:
    return ("nothing to set in the config: production stacks mark stateful resources with "
            "lifecycle.prevent_destroy (mlops_iac/app/protection.py); this one was added outside that path")


FIXES: dict[str, Callable[[Advisor, Finding], str]] = {
    "PROD-RUN-AS-SP": run_as_service_principal,
    "PROD-OWNER-NOT-USER": owner_not_a_user,
    "CLUSTER-POLICY": cluster_policy,
    "REQUIRED-TAGS": required_tags,
    "SCHEDULE-PAUSED-OUTSIDE-PROD": schedule_paused,
    "NO-PERSONAL-COMPUTE-PROD": no_personal_compute,
    "PROD-PRIVATE-WORKSPACE": private_workspace,
    "NO-LITERAL-SECRETS": literal_secrets,
    "EXPLICIT-PERMISSIONS": explicit_permissions,
    "PROD-PREVENT-DESTROY": prevent_destroy,
}
