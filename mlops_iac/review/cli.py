"""`mlops-review`: the pull-request review commands.

  mlops-review summary --base BASE/cdktf.out --head cdktf.out [--prod-env prod]
  mlops-review plan --stack prod-workspace plan.json [--stack ... plan.json] [--prod-env prod]
  mlops-review env-diff qa prod [--out cdktf.out]

Markdown goes to stdout (or --output FILE), ready for a PR comment.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .changes import ChangeSet, compare_synth, from_plan
from .markdown import render
from .resources import read_synth
from .risks import assess


def _production(stacks, prod_envs: list[str]) -> set[str]:
    return {s for s in stacks if s.split("-", 1)[0] in prod_envs}


def cmd_summary(args) -> str:
    changes = compare_synth(read_synth(args.base), read_synth(args.head))
    return render(changes, assess(changes.changes, _production({c.stack for c in changes.changes}, args.prod_env)))


def cmd_plan(args) -> str:
    merged = ChangeSet("plan")
    for stack, path in zip(args.stack, args.plans):
        merged.changes += from_plan(json.loads(Path(path).read_text()), stack).changes
    return render(merged, assess(merged.changes, _production({c.stack for c in merged.changes}, args.prod_env)))


def cmd_env_diff(args) -> str:
    from .env_diff import environment_diff

    return environment_diff(read_synth(args.out), args.left, args.right)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mlops-review", description=__doc__.splitlines()[0])
    p.add_argument("--output", type=Path, help="write the Markdown here instead of stdout")
    sub = p.add_subparsers(dest="command", required=True)
    summary = sub.add_parser("summary", help="compare two synth outputs (base branch vs pull request)")
    summary.add_argument("--base", type=Path, required=True)
    summary.add_argument("--head", type=Path, default=Path("cdktf.out"))
    summary.set_defaults(run=cmd_summary)
    plan = sub.add_parser("plan", help="summarize `terraform show -json` plans, one per stack")
    plan.add_argument("--stack", action="append", required=True, help="stack id of the next plan file")
    plan.add_argument("plans", nargs="+", type=Path)
    plan.set_defaults(run=cmd_plan)
    for command in (summary, plan):
        command.add_argument("--prod-env", action="append", default=None,
                             help="environment whose stacks are production (default: prod)")
    envs = sub.add_parser("env-diff", help="how two environments differ after synthesis")
    envs.add_argument("left")
    envs.add_argument("right")
    envs.add_argument("--out", type=Path, default=Path("cdktf.out"))
    envs.set_defaults(run=cmd_env_diff)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if getattr(args, "prod_env", None) is None:
        args.prod_env = ["prod"]
    if args.command == "plan" and len(args.stack) != len(args.plans):
        print("error: give one --stack per plan file, in the same order", file=sys.stderr)
        return 2
    try:
        text = args.run(args)
    except (OSError, ValueError, KeyError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    if args.output:
        args.output.write_text(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
