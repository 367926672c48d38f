"""Command line: `python -m stacks COMMAND` or the `mlops-iac` script.

Commands: synth, golden, schema, docs, new-env, new-project.

Config errors print as `file:line:col: key.path: message` lines, all at once, exit code 1, no
traceback; nothing is written. Set MLOPS_IAC_DEBUG=1 to see a traceback of an internal error.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from mlops_config import ConfigError, load_environments

from .scaffold import ScaffoldError

GUARDRAILS_REPORT = "guardrails.json"
DEFAULT_ENVS = Path("envs")
DEFAULT_OUT = Path("cdktf.out")


class GuardrailError(Exception):
    """Guardrail findings at error level: the synth output must not be used."""

    def __init__(self, report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} guardrail errors")


def synthesize(envs_dir: Path, outdir: Path, report=None) -> list[str]:
    """Validate everything first, then synthesize into ``outdir`` and check the guardrails; the
    stack ids in build order. Guardrail errors raise GuardrailError (the caller discards outdir)."""
    environments = load_environments(envs_dir)  # raises ConfigError before cdktf is imported
    from guardrails import Report

    from .app import build_app  # the bindings load only once the config is known to be good

    report = report if report is not None else Report()
    app = build_app(environments, str(outdir), report)
    app.synth()
    (outdir / GUARDRAILS_REPORT).write_text(json.dumps(report.as_json(), indent=2, sort_keys=True) + "\n")
    if report.errors:
        raise GuardrailError(report)
    return [child.node.id for child in app.node.children]


def cmd_synth(args: argparse.Namespace) -> int:
    from . import STARTED

    if args.under_cdktf_cli and os.environ.get("CDKTF_OUTDIR"):
        # The cdktf CLI owns its output directory and swaps it itself.
        synthesize(args.envs, Path(os.environ["CDKTF_OUTDIR"]))
        return 0
    from guardrails import Report

    from .output import replace_atomically
    from .summary import summarize

    report = Report()
    with replace_atomically(args.out) as staging:
        order = synthesize(args.envs, staging, report)
    for line in summarize(args.out, order):
        print(line)
    for finding in report.warnings:
        print(finding.render())
    print(f"guardrails: {len(report.errors)} errors, {len(report.warnings)} warnings, "
          f"{len(report.suppressed)} suppressed (reasons in {args.out}/{GUARDRAILS_REPORT})")
    print(f"wrote {args.out}/ in {time.perf_counter() - STARTED:.1f} s")
    return 0


def cmd_golden(args: argparse.Namespace) -> int:
    """Re-generate every golden file after an intended change: the estate's snapshots
    (tests/estate/golden/) and the tool's fixture expectations (tests/fixtures/)."""
    from .golden import regenerate

    try:
        changed, checked = regenerate(args.envs)
    except ValueError as error:  # a diagnostics case that does not fail
        print(f"error: {error}", file=sys.stderr)
        return 1
    for path in changed:
        print(f"{'wrote' if path.exists() else 'removed'} {path}")
    print(f"golden: {len(changed)} changed, {checked - len([p for p in changed if p.exists()])} unchanged")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from mlops_config.schema import SCHEMAS, render_schema

    for name in SCHEMAS:
        target = args.envs / name
        target.write_text(render_schema(name))
        print(f"wrote {target}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """Re-generate docs/access-matrix.md from envs/access.yaml."""
    from .docs import ACCESS_DOC, render_access_doc

    ACCESS_DOC.parent.mkdir(exist_ok=True)
    ACCESS_DOC.write_text(render_access_doc(args.envs))
    print(f"wrote {ACCESS_DOC}")
    return 0


def _print_scaffolded(result) -> int:
    from .scaffold import NEXT_STEPS

    for path in result.written:
        print(f"wrote {path}")
    for note in result.notes:
        print(f"note: {note}")
    print("next:\n" + "\n".join(f"  {step}" for step in NEXT_STEPS))
    return 0


def cmd_new_env(args: argparse.Namespace) -> int:
    """envs/NAME.yaml as a copy of envs/FROM.yaml with its own names."""
    from .scaffold import new_env

    return _print_scaffolded(new_env(args.envs, args.name, args.source))


def cmd_new_project(args: argparse.Namespace) -> int:
    """projects/NAME/ (project.yaml, an example job and test), listed in envs/defaults.yaml."""
    from .scaffold import new_project

    return _print_scaffolded(new_project(args.envs, args.name))


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="mlops-iac", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)
    synth = sub.add_parser("synth", help="validate envs/ and synthesize every stack")
    synth.add_argument("--out", type=Path, default=DEFAULT_OUT)
    synth.add_argument("--under-cdktf-cli", action="store_true",
                       help="called by the cdktf CLI (cdktf.json): write to $CDKTF_OUTDIR")
    synth.set_defaults(run=cmd_synth)
    sub.add_parser("golden", help="re-generate the estate snapshots and the test fixtures' expected files").set_defaults(run=cmd_golden)
    sub.add_parser("schema", help="re-generate envs/*schema.json").set_defaults(run=cmd_schema)
    sub.add_parser("docs", help="re-generate docs/access-matrix.md").set_defaults(run=cmd_docs)
    new_env = sub.add_parser("new-env", help="write envs/NAME.yaml from an existing environment")
    new_env.add_argument("name", metavar="NAME")
    new_env.add_argument("--from", dest="source", required=True, metavar="EXISTING",
                         help="the environment to copy (its names are replaced)")
    new_env.set_defaults(run=cmd_new_env)
    new_project = sub.add_parser("new-project", help="write projects/NAME/ and list it in envs/defaults.yaml")
    new_project.add_argument("name", metavar="NAME")
    new_project.set_defaults(run=cmd_new_project)
    for name in ("synth", "golden", "schema", "docs", "new-env", "new-project"):
        sub.choices[name].add_argument("--envs", type=Path, default=DEFAULT_ENVS,
                                       help="directory with defaults.yaml and <env>.yaml files")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.run(args)
    except ConfigError as error:
        print(error.render(), file=sys.stderr)
        return 1
    except ScaffoldError as error:
        print("\n".join(error.lines), file=sys.stderr)
        return 1
    except GuardrailError as error:
        for finding in error.report.errors + error.report.warnings:
            print(finding.render(), file=sys.stderr)
        print(f"{len(error.report.errors)} guardrail errors; nothing written "
              "(suppress a finding only with a reason: guardrails.suppressions)", file=sys.stderr)
        return 1
    except Exception as error:  # an internal error, not bad input: say so plainly
        if os.environ.get("MLOPS_IAC_DEBUG"):
            raise
        print(f"internal error: {type(error).__name__}: {error}\n"
              "(set MLOPS_IAC_DEBUG=1 for a traceback; please report it)", file=sys.stderr)
        return 2
