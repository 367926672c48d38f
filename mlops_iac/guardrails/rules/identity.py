"""PROD-RUN-AS-SP and PROD-OWNER-NOT-USER: production work belongs to a service principal."""
from ..model import COMPLIANT, NOT_APPLICABLE, ResourceView, StackView, Verdict, non_compliant

OWNED = ("job_id", "pipeline_id")


def prod_runs_as_service_principal(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production or resource.rtype not in ("databricks_job", "databricks_pipeline"):
        return NOT_APPLICABLE
    run_as = resource.config.get("run_as") or {}
    if isinstance(run_as, list):
        run_as = run_as[0] if run_as else {}
    if run_as.get("service_principal_name"):
        return COMPLIANT
    return non_compliant(f"{resource.config.get('name')} runs as {run_as.get('user_name') or 'its creator'}")


def prod_owner_is_not_a_user(resource: ResourceView, stack: StackView) -> Verdict:
    if not stack.production or resource.rtype != "databricks_permissions" \
            or not any(key in resource.config for key in OWNED):
        return NOT_APPLICABLE
    owners = [c for c in resource.config.get("access_control", []) if c.get("permission_level") == "IS_OWNER"]
    users = [c["user_name"] for c in owners if c.get("user_name")]
    return non_compliant(f"owned by {', '.join(users)}") if users else COMPLIANT
