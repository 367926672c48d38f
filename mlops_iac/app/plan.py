"""`mlops-iac plan [STACK_GLOB...]`: terraform init + plan per stack, in dependency order.

Writes one `terraform show -json` file per planned stack into <out>/plans/ (input of
`mlops-review plan`), plus plans.json (status of every stack) and plans.md (for the PR). A stack
whose dependency has no applied state yet - a new environment's workspace stack before its
platform stack is applied - is reported as waiting for that apply, with its synthesized resources,
instead of failing with "Unable to find remote state". Exit 1 when a plan fails.
"""
from __future__ import annotations

import argparse
import fnmatch
import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Optional

from mlops_iac.config import ConfigError, Diagnostic
from mlops_iac.config.diagnostics import closest
from mlops_iac.config.located import Location

from .layout import StackInfo
from .state_policy import DEFAULT_OFFLINE_STATE_DIR, OFFLINE_STATE_ENV
from .terraform import TerraformError, TerraformRunner

PLANS_DIR = "plans"


@dataclass(frozen=True)
class StackResult:
    stack: str
    status: str  # planned | waiting | failed
    detail: str  # resources synthesized (waiting), what failed, or the plan's change count
    plan: Optional[str] = None  # plan JSON file name (beside plans.json), when planned
    waiting_for: Optional[str] = None

    def line(self) -> str:
        if self.status == "waiting":
            return f"{self.stack}: waiting for {self.waiting_for} apply ({self.detail})"
        return f"{self.stack}: {self.status} ({self.detail})"


def select(stacks: list[StackInfo], patterns: list[str]) -> list[StackInfo]:
    """Stacks matching any glob (all when none is given), in deploy order; an unmatched glob is
    an error with the closest stack id."""
    if not patterns:
        return stacks
    ids = [s.id for s in stacks]
    unmatched = [p for p in patterns if not fnmatch.filter(ids, p)]
    if unmatched:
        raise ConfigError([Diagnostic(Location("(command line)", 1, 1), "STACK",
                                      f"'{p}' matches no stack", "one of " + ", ".join(ids),
                                      closest(p, ids)) for p in unmatched])
    return [s for s in stacks if any(fnmatch.fnmatchcase(s.id, p) for p in patterns)]


def _change_count(plan: dict) -> str:
    actions = [c["change"]["actions"] for c in plan.get("resource_changes", []) if c.get("mode") == "managed"]
    changed = [a for a in actions if a != ["no-op"]]
    return f"{len(changed)} resource change{'s' if len(changed) != 1 else ''}"


def plan_stacks(selected: list[StackInfo], outdir: Path, terraform: TerraformRunner,
                describe) -> list[StackResult]:
    """Plan each selected stack; a stack waits when a stack it reads has no applied outputs."""
    plans = outdir / PLANS_DIR
    plans.mkdir(parents=True, exist_ok=True)
    applied: dict[str, bool] = {}  # dependency -> has outputs in its state
    initialized: set[str] = set()

    def init(stack: str) -> None:
        if stack not in initialized:
            terraform.init(outdir / "stacks" / stack)
            initialized.add(stack)

    results = []
    for info in selected:
        stack_dir = outdir / "stacks" / info.id
        try:
            missing = None
            for dependency in info.depends_on:
                if dependency not in applied:
                    init(dependency)
                    applied[dependency] = bool(terraform.outputs(outdir / "stacks" / dependency))
                if not applied[dependency]:
                    missing = dependency
                    break
            if missing:
                results.append(StackResult(info.id, "waiting", describe(info.id), waiting_for=missing))
                continue
            init(info.id)
            plan = terraform.plan_json(stack_dir)
        except TerraformError as error:
            print(error.output.rstrip())
            results.append(StackResult(info.id, "failed", str(error)))
            continue
        target = plans / f"{info.id}.json"
        target.write_text(json.dumps(plan, indent=1, sort_keys=True) + "\n")
        results.append(StackResult(info.id, "planned", _change_count(plan), plan=target.name))
    return results


def render_markdown(results: list[StackResult]) -> str:
    lines = ["### Terraform plan per stack", "", "| Stack | Status | |", "|---|---|---|"]
    for r in results:
        status = f"waiting for `{r.waiting_for}` apply" if r.status == "waiting" else r.status
        lines.append(f"| `{r.stack}` | {status} | {r.detail} |")
    if any(r.status == "waiting" for r in results):
        lines += ["", "A waiting stack reads the state of a stack that is not applied yet (a new "
                  "environment): it is planned for real after the merge deploys its dependency; "
                  "the synthesized resources above are what it will create."]
    return "\n".join(lines) + "\n"


def write_reports(results: list[StackResult], outdir: Path) -> None:
    plans = outdir / PLANS_DIR
    (plans / "plans.json").write_text(json.dumps([asdict(r) for r in results], indent=2) + "\n")
    (plans / "plans.md").write_text(render_markdown(results))


def cmd_plan(args: argparse.Namespace) -> int:
    from .cli import synthesize
    from .listing import stack_infos
    from .output import output_lock, replace_atomically
    from .summary import describe_stack, read_stacks
    from .terraform import TerraformCli

    if args.offline:
        os.environ.setdefault(OFFLINE_STATE_ENV, str(Path(DEFAULT_OFFLINE_STATE_DIR).resolve()))
        Path(os.environ[OFFLINE_STATE_ENV]).mkdir(parents=True, exist_ok=True)
        if not os.environ.get("TF_CLI_CONFIG_FILE"):
            print("note: TF_CLI_CONFIG_FILE is not set; offline plans need the provider stand-ins "
                  "(use `make plan-json OFFLINE=1`, which sets it)")
    selected = select(stack_infos(args.envs), args.stacks)
    with output_lock(args.out):  # no other synth swaps the stacks while terraform runs in them
        if not args.no_synth:
            with replace_atomically(args.out) as staging:
                synthesize(args.envs, staging)
        synthesized = read_stacks(args.out)
        results = plan_stacks(selected, args.out, TerraformCli(),
                              lambda stack: describe_stack(stack, synthesized[stack]).split(": ", 1)[1])
        write_reports(results, args.out)
    for result in results:
        print(result.line())
    print(f"wrote {args.out}/{PLANS_DIR}/ (plans.json, plans.md, one <stack>.json per planned stack)")
    return 1 if any(r.status == "failed" for r in results) else 0


def read_reports(paths: list[Path]) -> list[tuple[Path, StackResult]]:
    """plans.json files (or folders holding one) of several plan runs, e.g. one per CI matrix job."""
    found = []
    for path in paths:
        index = path / "plans.json" if path.is_dir() else path
        for entry in json.loads(index.read_text()):
            found.append((index.parent, StackResult(**entry)))
    return found


def cmd_plan_report(args: argparse.Namespace) -> int:
    """One Markdown report of several plan runs: the status table, then the review of every
    planned stack's changes (mlops-review plan)."""
    from mlops_iac.review.cli import main as review

    found = read_reports(args.reports)
    print(render_markdown([result for _, result in found]), flush=True)
    planned = [(folder, r) for folder, r in found if r.status == "planned"]
    if not planned:
        return 0
    argv = [a for _, r in planned for a in ("--stack", r.stack)] + [str(f / r.plan) for f, r in planned]
    return review(["plan", *argv])


def register(sub, envs_default: Path, out_default: Path) -> None:
    p = sub.add_parser("plan", help="terraform plan per stack in dependency order (JSON for mlops-review)")
    p.add_argument("stacks", nargs="*", metavar="STACK_GLOB", help="e.g. 'qa-*' (default: every stack)")
    p.add_argument("--envs", type=Path, default=envs_default)
    p.add_argument("--out", type=Path, default=out_default)
    p.add_argument("--no-synth", action="store_true", help="plan the existing <out> as it is")
    p.add_argument("--offline", action="store_true",
                   help=f"local state in {DEFAULT_OFFLINE_STATE_DIR}/ (or ${OFFLINE_STATE_ENV}); never in CI")
    p.set_defaults(run=cmd_plan)
    report = sub.add_parser("plan-report", help="merge plans.json of several plan runs into one Markdown report")
    report.add_argument("reports", nargs="+", type=Path, help="plans.json files or folders holding one")
    report.set_defaults(run=cmd_plan_report)
