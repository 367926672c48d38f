"""Rules of the security footprint (security_model) that a field's type cannot express: what
Azure would reject at apply time, reported at the line that asked for it."""
from __future__ import annotations

from typing import Iterable

from .binder import Locations, diagnostic_at
from .diagnostics import Diagnostic
from .model import EnvironmentConfig


def private_network_has_a_subnet(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    """Private endpoints need a subnet of the workspace VNet; an adopted workspace has none here."""
    if not env.security_posture.private:
        return
    where = ("network", "private") if ("network", "private") in loc.keys else ("stage",)
    vnet = env.workspace.vnet
    if not env.greenfield:
        yield diagnostic_at(loc, where, "private networking needs the workspace VNet, but the "
                            "workspace is adopted (workspace.existing)",
                            "network.private: false (the owning team keeps its network), or a created "
                            "workspace with workspace.vnet")
    elif vnet is None or vnet.private_endpoint_subnet_id is None:
        yield diagnostic_at(loc, ("workspace", "vnet") if vnet else where,
                            "private networking needs workspace.vnet.private_endpoint_subnet_id "
                            "(a subnet of the workspace VNet for private endpoints)",
                            "workspace.vnet.private_endpoint_subnet_id, or network.private: false")



def customer_managed_keys_need_premium(env: EnvironmentConfig, loc: Locations) -> Iterable[Diagnostic]:
    cmk = env.security.customer_managed_keys
    if cmk is not None and env.greenfield and env.workspace.sku != "premium":
        yield diagnostic_at(loc, ("security", "customer_managed_keys"),
                            f"customer-managed keys need a premium workspace, not '{env.workspace.sku}'",
                            "workspace.sku: premium")


SECURITY_RULES = (private_network_has_a_subnet, customer_managed_keys_need_premium)
