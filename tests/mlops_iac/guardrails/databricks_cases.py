"""Failing cases of the Databricks-side rules (mlops_iac/guardrails/rules/databricks.py), in the shape of
test_rules.CASES: rule id, resources that fail it, expected detail, production. The compliant case
of each is the shared good stack of test_rules (plus the compliant tests below)."""
TAGS = {"cost_center": "c", "environment": "prod", "project": "p"}
POLICY = "${databricks_cluster_policy.p.id}"


def _job(**config) -> dict:
    return {"name": "prod-demo-train", "run_as": {"service_principal_name": "app"}, "timeout_seconds": 3600,
            "task": [{"task_key": "t", "new_cluster": {"policy_id": POLICY, "custom_tags": TAGS}}], **config}


def _with_acl(resources: dict) -> dict:
    acl = {"job_id": "${databricks_job.j.id}",
           "access_control": [{"service_principal_name": "app", "permission_level": "IS_OWNER"}]}
    return {**resources, "databricks_permissions": {"a": acl}}


DATABRICKS_CASES = [
    ("CLUSTER-AUTOTERMINATION", {"databricks_cluster": {"c": {
        "cluster_name": "shared", "policy_id": POLICY, "custom_tags": TAGS, "autotermination_minutes": 0}}},
     "shared: autotermination_minutes 0", False),
    ("PROD-DATA-SECURITY-MODE", _with_acl({"databricks_job": {"j": _job(task=[{"task_key": "t", "new_cluster": {
        "policy_id": POLICY, "custom_tags": TAGS, "data_security_mode": "NONE"}}])}}),
     "task[t] NONE", True),
    ("NO-PERSONAL-ACCESS-TOKENS", {"databricks_token": {"pat": {"comment": "ci", "lifetime_seconds": 3600}}},
     "databricks_token pat", True),
    ("SECRET-SCOPE-NO-GROUP-MANAGE", {"databricks_secret_acl": {"a": {
        "scope": "${databricks_secret_scope.s.name}", "principal": "data-scientists", "permission": "MANAGE"}}},
     "group data-scientists has MANAGE", True),
    ("PROD-JOB-TIMEOUT", _with_acl({"databricks_job": {"j": {**_job(), "timeout_seconds": 0}}}),
     "prod-demo-train has no timeout_seconds", True),
]
