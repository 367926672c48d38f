"""`mlops-iac deploy STACK_GLOB... --auto-approve`: apply stacks in dependency order with plain
terraform - what CI runs (`make deploy` with CI=true).

`cdktf deploy` renders an interactive UI; in a log that is hundreds of spinner frames and colour
codes. This applies the same synthesized stacks, in the same order (platform before workspace),
printing the plan's summary line and one line per resource change. Exit 1 at the first failure:
a workspace stack is never applied after its platform stack failed.
"""
from __future__ import annotations

import argparse
import os
from pathlib import Path

from .state_policy import DEFAULT_OFFLINE_STATE_DIR, OFFLINE_STATE_ENV, UsageError
from .terraform import DEFAULT_LOCK_TIMEOUT, TerraformError, TerraformRunner


def _print(line: str) -> None:
    print(line, flush=True)  # before terraform's own output, which goes straight to the log


def deploy_stacks(stack_ids: list[str], outdir: Path, terraform: TerraformRunner, out=_print) -> bool:
    """Init, plan and apply each stack in order; False at the first failure."""
    for stack in stack_ids:
        stack_dir = outdir / "stacks" / stack
        out(f"--- {stack}")
        try:
            terraform.init(stack_dir)
            out(f"{stack}: {terraform.plan_file(stack_dir)}")
            terraform.apply_file(stack_dir)
        except TerraformError as error:
            if error.output:
                out(error.output.rstrip())
            out(f"{stack}: FAILED ({error}); later stacks not applied")
            return False
    return True


def cmd_deploy(args: argparse.Namespace) -> int:
    from .cli import synthesize
    from .listing import stack_infos
    from .output import output_lock, replace_atomically
    from .plan import select
    from .terraform import TerraformCli

    if not args.auto_approve:
        raise UsageError("mlops-iac deploy applies without asking: pass --auto-approve "
                         "(for an interactive deploy use `make deploy` or `cdktf deploy`)")
    if args.offline:
        os.environ.setdefault(OFFLINE_STATE_ENV, str(Path(DEFAULT_OFFLINE_STATE_DIR).resolve()))
        Path(os.environ[OFFLINE_STATE_ENV]).mkdir(parents=True, exist_ok=True)
    selected = select(stack_infos(args.envs), args.stacks)
    with output_lock(args.out):  # no other synth swaps the stacks while terraform runs in them
        with replace_atomically(args.out) as staging:
            synthesize(args.envs, staging)
        ok = deploy_stacks([s.id for s in selected], args.out, TerraformCli(lock_timeout=args.lock_timeout))
    return 0 if ok else 1


def register(sub, envs_default: Path, out_default: Path) -> None:
    p = sub.add_parser("deploy", help="apply stacks in dependency order with plain terraform (CI)")
    p.add_argument("stacks", nargs="+", metavar="STACK_GLOB", help="e.g. 'qa-*'")
    p.add_argument("--auto-approve", action="store_true", required=False)
    p.add_argument("--envs", type=Path, default=envs_default)
    p.add_argument("--out", type=Path, default=out_default)
    p.add_argument("--offline", action="store_true",
                   help=f"local state in {DEFAULT_OFFLINE_STATE_DIR}/ (or ${OFFLINE_STATE_ENV}); never in CI")
    p.add_argument("--lock-timeout", default=DEFAULT_LOCK_TIMEOUT, metavar="DURATION",
                   help="how long terraform waits for a held state lock, e.g. 0s, 90s, 5m "
                        f"(default {DEFAULT_LOCK_TIMEOUT})")
    p.set_defaults(run=cmd_deploy)
