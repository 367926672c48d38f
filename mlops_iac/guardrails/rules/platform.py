"""REQUIRED-TAGS, PROD-PRIVATE-WORKSPACE, PROD-PREVENT-DESTROY, KEY-VAULT-SCOPE-REACHABLE."""
from mlops_iac.provider_facts.stateful import STATEFUL

from ..model import COMPLIANT, NOT_APPLICABLE, ResourceView, StackView, Verdict, non_compliant
from .compute import job_clusters

REQUIRED_TAGS = ("cost_center", "environment", "project")


def required_tags(resource: ResourceView, stack: StackView) -> Verdict:
    if resource.rtype.startswith("azurerm_") and "tags" in resource.config:
        tagged = [("tags", resource.config["tags"])]
    elif resource.rtype == "databricks_cluster":
        tagged = [("custom_tags", resource.config.get("custom_tags", {}))]
    elif resource.rtype == "databricks_job":
        tagged = [(f"{where}.custom_tags", c.get("custom_tags", {})) for where, c in job_clusters(resource.config)]
    else:
        return NOT_APPLICABLE
    if not tagged:
        return NOT_APPLICABLE
    missing = [f"{where} lacks {', '.join(t for t in REQUIRED_TAGS if t not in tags)}"
               for where, tags in tagged if any(t not in tags for t in REQUIRED_TAGS)]
    return non_compliant("; ".join(missing)) if missing else COMPLIANT


def prod_workspace_is_private(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production or resource.rtype != "azurerm_databricks_workspace":
        return NOT_APPLICABLE
    return COMPLIANT if resource.config.get("public_network_access_enabled") is False else \
        non_compliant(f"{resource.config.get('name')} is reachable from the internet")


def prod_stateful_prevent_destroy(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production or resource.rtype not in STATEFUL:
        return NOT_APPLICABLE
    lifecycle = resource.config.get("lifecycle") or {}
    return COMPLIANT if lifecycle.get("prevent_destroy") is True else non_compliant("no lifecycle.prevent_destroy")


def key_vault_scope_reachable(resource: ResourceView, stack: StackView) -> Verdict:
    """A vault kept on its public endpoint behind a deny-by-default firewall is one that backs a
    Databricks secret scope (a vault that backs none has public access off). The Azure Databricks
    control plane reads such a scope over that endpoint and is not a trusted Azure service: with no
    address admitted, every secret read fails at run time, although plan and apply succeed."""
    if resource.rtype != "azurerm_key_vault" or resource.config.get("public_network_access_enabled") is False:
        return NOT_APPLICABLE
    acls = (resource.config.get("network_acls") or [{}])[0]
    if acls.get("default_action") != "Deny":
        return NOT_APPLICABLE
    return COMPLIANT if acls.get("ip_rules") else non_compliant(
        f"{resource.config.get('name')} denies every address, so the Databricks control plane cannot read "
        "the secret scope it backs")
