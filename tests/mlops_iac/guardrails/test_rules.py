"""Every default guardrail rule: a compliant case, a failing case (message), and the same failure
suppressed with its reason recorded."""
import pytest

from mlops_iac.guardrails import DEFAULT_PACK, Level, StackView, Suppression
from mlops_iac.guardrails.model import evaluate
from tests.mlops_iac.guardrails.databricks_cases import DATABRICKS_CASES

POLICY = "${databricks_cluster_policy.p.id}"
TAGS = {"cost_center": "c", "environment": "prod", "project": "p"}
OWNER_SP = {"service_principal_name": "app", "permission_level": "IS_OWNER"}


def stack(resources: dict, production: bool = True, providers: dict | None = None) -> StackView:
    return StackView("prod-workspace" if production else "dev-workspace", "prod" if production else "dev",
                     production, {"resource": resources, "provider": providers or {}})


def job(**config) -> dict:
    return {"name": "prod-demo-train", "run_as": {"service_principal_name": "app"},
            "task": [{"task_key": "t", "new_cluster": {"policy_id": POLICY, "custom_tags": TAGS}}], **config}


def acl_for(ref: str, *entries) -> dict:
    return {"job_id": ref, "access_control": list(entries) or [OWNER_SP]}


def good_stack() -> dict:
    return {"databricks_job": {"j": job(timeout_seconds=3600)}, "databricks_permissions": {"a": acl_for("${databricks_job.j.id}")}}


CASES = [  # rule id, resources that fail it, expected detail, production
    ("PROD-RUN-AS-SP", {"databricks_job": {"j": job(run_as={"user_name": "alice@contoso.com"})},
                        "databricks_permissions": {"a": acl_for("${databricks_job.j.id}")}},
     "prod-demo-train runs as alice@contoso.com", True),
    ("PROD-OWNER-NOT-USER", {**good_stack(), "databricks_permissions": {"a": acl_for(
        "${databricks_job.j.id}", {"user_name": "alice@contoso.com", "permission_level": "IS_OWNER"})}},
     "owned by alice@contoso.com", True),
    ("CLUSTER-POLICY", {**good_stack(), "databricks_cluster": {"c": {"cluster_name": "x", "custom_tags": TAGS}}},
     "cluster without policy_id", True),
    ("REQUIRED-TAGS", {**good_stack(), "azurerm_storage_account": {"s": {"name": "st", "tags": {"environment": "prod"},
                                                                        "lifecycle": {"prevent_destroy": True}}}},
     "tags lacks cost_center, project", True),
    ("SCHEDULE-PAUSED-OUTSIDE-PROD", {"databricks_job": {"j": job(schedule={"pause_status": "UNPAUSED"})},
                                      "databricks_permissions": {"a": acl_for("${databricks_job.j.id}")}},
     "prod-demo-train: schedule UNPAUSED", False),
    ("NO-PERSONAL-COMPUTE-PROD", {**good_stack(), "databricks_cluster_policy": {"p": {
        "name": "prod-personal", "policy_family_id": "personal-vm"}}}, "prod-personal", True),
    ("PROD-PRIVATE-WORKSPACE", {"azurerm_databricks_workspace": {"w": {
        "name": "dbw", "public_network_access_enabled": True, "tags": TAGS, "lifecycle": {"prevent_destroy": True}}}},
     "dbw is reachable from the internet", True),
    ("NO-LITERAL-SECRETS", {**good_stack(), "databricks_job": {"j": job(parameter=[
        {"name": "token", "default": "dapi" + "0123456789abcdef" * 2}])}},
     "parameter[0].default holds a Databricks personal access token ('dapi\u2026')", True),
    ("EXPLICIT-PERMISSIONS", {"databricks_job": {"j": job()}}, "no databricks_permissions names prod-demo-train", True),
    ("PROD-PREVENT-DESTROY", {"azurerm_key_vault": {"k": {"name": "kv", "tags": TAGS}}}, "no lifecycle.prevent_destroy",
     True),
    ("KEY-VAULT-SCOPE-REACHABLE", {"azurerm_key_vault": {"k": {
        "name": "kv", "tags": TAGS, "lifecycle": {"prevent_destroy": True}, "public_network_access_enabled": True,
        "network_acls": [{"default_action": "Deny", "bypass": "AzureServices", "ip_rules": []}]}}},
     "kv denies every address, so the Databricks control plane cannot read the secret scope it backs", True),
    *DATABRICKS_CASES,
]


def test_a_key_vault_firewall_that_admits_the_control_plane_or_is_private_passes():
    """Admitted addresses: the scope is readable. Public access off: the vault backs no scope."""
    vault = {"name": "kv", "tags": TAGS, "lifecycle": {"prevent_destroy": True}, "public_network_access_enabled": True,
             "network_acls": [{"default_action": "Deny", "bypass": "AzureServices", "ip_rules": ["20.0.0.0/28"]}]}
    private = {**vault, "public_network_access_enabled": False,
               "network_acls": [{"default_action": "Deny", "bypass": "AzureServices", "ip_rules": []}]}
    for config in (vault, private):
        assert findings_of("KEY-VAULT-SCOPE-REACHABLE", stack({"azurerm_key_vault": {"k": config}})) == []


def findings_of(rule_id: str, view: StackView, suppressions=()):
    return [f for f in evaluate(DEFAULT_PACK, view, suppressions) if f.rule_id == rule_id]


def test_every_default_rule_has_a_case():
    assert sorted(rule.id for rule in DEFAULT_PACK.rules) == sorted(case[0] for case in CASES)


def test_a_compliant_stack_has_no_findings():
    assert evaluate(DEFAULT_PACK, stack(good_stack()), ()) == []
    assert evaluate(DEFAULT_PACK, stack(good_stack(), production=False), ()) == []


@pytest.mark.parametrize("rule_id, resources, detail, production", CASES, ids=[c[0] for c in CASES])
def test_fails_when_the_rule_is_broken(rule_id, resources, detail, production):
    [finding] = findings_of(rule_id, stack(resources, production))
    rule = next(r for r in DEFAULT_PACK.rules if r.id == rule_id)
    assert finding.message == f"{rule.info}: {detail}"
    assert finding.level is rule.level and finding.suppressed_because is None


@pytest.mark.parametrize("rule_id, resources, detail, production", CASES, ids=[c[0] for c in CASES])
def test_a_finding_is_suppressed_only_with_a_recorded_reason(rule_id, resources, detail, production):
    reason = "accepted by the platform team, ticket MLOPS-42"
    [finding] = findings_of(rule_id, stack(resources, production), [Suppression(rule_id, reason)])
    assert finding.suppressed_because == reason


def test_a_resource_suppression_covers_only_that_resource():
    resources = {"databricks_job": {"j": job(), "k": job(name="other")}}
    findings = findings_of("EXPLICIT-PERMISSIONS", stack(resources),
                           [Suppression("EXPLICIT-PERMISSIONS", "legacy job, owner migrates it", "databricks_job.j")])
    assert [(f.address, bool(f.suppressed_because)) for f in findings] == [
        ("databricks_job.j", True), ("databricks_job.k", False)]


def test_fails_when_a_suppression_has_no_real_reason():
    with pytest.raises(ValueError, match="needs a reason of at least 10 characters"):
        Suppression("CLUSTER-POLICY", "because")


def test_provider_blocks_are_checked_for_literal_secrets():
    view = stack(good_stack(), providers={"databricks": [{"host": "https://x", "token": "abc123"}]})
    [finding] = findings_of("NO-LITERAL-SECRETS", view)
    assert finding.address == "databricks.0" and finding.message.endswith("token holds a literal value under 'token' ('abc1\u2026')")


def test_custom_rules_extend_a_pack():
    from mlops_iac.guardrails import Rule
    from mlops_iac.guardrails.model import NOT_APPLICABLE, non_compliant

    rule = Rule("JOB-NOTIFICATIONS", Level.WARNING, "job without failure notifications", "why",
                lambda r, s: non_compliant() if r.rtype == "databricks_job" and "email_notifications" not in r.config
                else NOT_APPLICABLE)
    pack = DEFAULT_PACK.with_rules(rule)
    assert [f.rule_id for f in evaluate(pack, stack(good_stack()), ())] == ["JOB-NOTIFICATIONS"]
    with pytest.raises(ValueError, match="already in pack"):
        pack.with_rules(rule)
