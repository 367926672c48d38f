"""`mlops-iac stacks [--json]`: the estate's stacks and promotion order, for CI templates.

Only loads the config (no cdktf import), so a CI job can build its matrix in a second. The JSON:

    {"promotion_order": ["development", "staging", "production"],
     "stages": {"development": ["<env>", ...], ...},          # environments per stage
     "stacks": ["<env>-platform", "<env>-workspace", ...],    # every stack, deploy order
     "environments": [{"name", "stage", "display_name",
                       "stacks": [{"id", "kind", "depends_on", "backend"}]}]}
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

from mlops_iac.config import load_environments
from mlops_iac.config.pipeline import STAGE_ORDER

from .layout import StackInfo, environment_stacks

PROMOTION_ORDER = tuple(sorted(STAGE_ORDER, key=STAGE_ORDER.get))


def estate(envs_dir: Path) -> dict:
    """The estate as plain data, environments in promotion order (ConfigError on bad config)."""
    environments = []
    for loaded in load_environments(envs_dir):
        env = loaded.config
        environments.append({
            "name": env.name, "stage": env.stage, "display_name": env.display_name,
            "stacks": [_stack(info) for info in environment_stacks(env)],
        })
    return {
        "promotion_order": list(PROMOTION_ORDER),
        "stages": {stage: [e["name"] for e in environments if e["stage"] == stage] for stage in PROMOTION_ORDER},
        "stacks": [s["id"] for e in environments for s in e["stacks"]],
        "environments": environments,
    }


def stack_infos(envs_dir: Path) -> list[StackInfo]:
    """Every stack in deploy order (environments in promotion order, platform first)."""
    return [info for loaded in load_environments(envs_dir) for info in environment_stacks(loaded.config)]


def _stack(info: StackInfo) -> dict:
    return {"id": info.id, "kind": info.kind, "depends_on": list(info.depends_on), "backend": info.backend}


def render_text(data: dict) -> list[str]:
    lines = []
    for env in data["environments"]:
        lines.append(f"{env['name']} ({env['stage']}, {env['display_name']})")
        for stack in env["stacks"]:
            after = f", after {', '.join(stack['depends_on'])}" if stack["depends_on"] else ""
            lines.append(f"  {stack['id']:<24} {stack['kind']}, {stack['backend']} state{after}")
    return lines


def cmd_stacks(args: argparse.Namespace) -> int:
    data = estate(args.envs)
    if args.json:
        print(json.dumps(data, indent=2))
    else:
        print("\n".join(render_text(data)))
    return 0


def register(sub, envs_default: Path) -> None:
    p = sub.add_parser("stacks", help="list environments (promotion order) and their stacks")
    p.add_argument("--json", action="store_true", help="machine-readable, for CI matrices")
    p.add_argument("--envs", type=Path, default=envs_default)
    p.set_defaults(run=cmd_stacks)
