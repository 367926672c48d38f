"""Generated documentation: the access matrix as a table, one column per environment."""
from __future__ import annotations

from pathlib import Path

from mlops_iac.config import load_environments
from mlops_iac.config.access import access_table
from mlops_iac.config.pipeline import load_access_file

ACCESS_DOC = Path("docs/access-matrix.md")


def render_access_doc(envs_dir: Path) -> str:
    environments = {e.config.name: e.config.stage for e in load_environments(envs_dir)}
    errors: list = []
    loaded = load_access_file(envs_dir, envs_dir.parent, list(environments), errors)
    lines = ["# Access matrix", "",
             "Generated from `envs/access.yaml` by `make docs`; do not edit. A dash means no access.",
             "Objects may override their row with an `access:` mapping (cluster policies, clusters).", ""]
    if loaded is None:
        return "\n".join(lines + ["No envs/access.yaml: nobody but admins has object permissions.", ""])
    access, _ = loaded
    lines += ["| role | played by | description |", "|---|---|---|"]
    for name, role in sorted(access.roles.items()):
        player = ("the environment's deployer service principal" if role.deployer else
                  next(f"{k.replace('_', ' ')} `{getattr(role, k)}`" for k in ("group", "service_principal", "user")
                       if getattr(role, k)))
        lines.append(f"| {name} | {player} | {role.description or ''} |")
    return "\n".join(lines) + "\n\n" + access_table(access, environments)
