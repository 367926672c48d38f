"""Command line: the `mlops-iac` script, `python -m mlops_iac.app COMMAND`, or a repository's
`python -m stacks COMMAND`.

Commands: synth, golden, schema, docs, new-env, new-project, import-bundle, import-job, stacks,
plan, plan-report, deploy, run-tests.

Config errors print as `file:line:col: key.path: message` lines, all at once, exit code 1, no
traceback; nothing is written. Set MLOPS_IAC_DEBUG=1 to see a traceback of an internal error.
"""
from __future__ import annotations

import argparse
import fnmatch
import gc
import json
import os
import sys
import time
from pathlib import Path
from typing import Sequence

from mlops_iac.config import ConfigError, load_environments
from mlops_iac.config.bundle_import.reader import BundleError

from .state_policy import UsageError

from .naming import PLATFORM, WORKSPACE, stack_id

from .scaffold import ScaffoldError

GUARDRAILS_REPORT = "guardrails.json"
DEFAULT_ENVS = Path("envs")
DEFAULT_OUT = Path("cdktf.out")


class GuardrailError(Exception):
    """Guardrail findings at error level: the synth output must not be used."""

    def __init__(self, report) -> None:
        self.report = report
        super().__init__(f"{len(report.errors)} guardrail errors")


class SelectionError(Exception):
    """--env / --stack name nothing that exists."""


def select_environments(environments: list, names: Sequence[str] = (), stack_globs: Sequence[str] = ()) -> list:
    """The environments to build: those named, and those owning a stack that matches a glob (both
    stacks of an environment are built: its workspace stack references its platform stack). No
    names and no globs: all of them."""
    if not names and not stack_globs:
        return environments
    known = {loaded.config.name for loaded in environments}
    unknown = [name for name in names if name not in known]
    if unknown:
        raise SelectionError(f"no environment {', '.join(map(repr, unknown))} "
                             f"(expected one of {', '.join(sorted(known))})")
    kinds = (PLATFORM, WORKSPACE)
    chosen = [loaded for loaded in environments if loaded.config.name in names or any(
        fnmatch.fnmatchcase(stack_id(loaded.config.name, kind), glob) for kind in kinds for glob in stack_globs)]
    if not chosen:
        raise SelectionError(f"no stack matches {', '.join(map(repr, stack_globs))} "
                             f"(stacks are <environment>-{'|'.join(kinds)})")
    return chosen


def synthesize(envs_dir: Path, outdir: Path, report=None, *, only_envs: Sequence[str] = (),
               only_stacks: Sequence[str] = ()) -> list[str]:
    """Validate everything first (every environment: some rules span them), then synthesize the
    selected environments (default: all) into ``outdir`` and check the guardrails; the stack ids
    in build order. Guardrail errors raise GuardrailError (the caller discards outdir)."""
    from mlops_iac.guardrails import Report

    from .guardrail_checks import check_stacks
    from .repository_rules import repository_pack

    pack = repository_pack(envs_dir)  # RulesFileError: the repository's stacks/rules.py is unusable
    # raises ConfigError before cdktf is imported; suppressions must name rules of the estate's pack
    environments = load_environments(envs_dir, guardrail_rules=tuple(rule.id for rule in pack.rules))
    from .state_policy import local_state_in_ci, offline_state_dir

    offline_state_dir(os.environ)  # UsageError: offline mode under CI=true
    if errors := local_state_in_ci(environments, os.environ):
        raise ConfigError(errors)
    from mlops_iac.config.projects.deployment import spec_warnings
    for warning in spec_warnings(d for env in environments for d in env.config.deployments):
        print(f"warning: {warning.render()}", file=sys.stderr)
    environments = select_environments(environments, only_envs, only_stacks)
    from .interrupts import start_jsii_kernel

    start_jsii_kernel()  # before the first binding loads: Node must outlive a Ctrl-C
    from .assembly import build_app  # the bindings load only once the config is known to be good

    from .origins import Origins

    report = report if report is not None else Report()
    origins = Origins()  # construct path -> config line, for the findings (not in the JSON)
    app = build_app(environments, str(outdir), origins)
    from constructs_lib import bulk_output

    bulk_output.synth(app)  # app.synth(), the resource batches written by Python
    order = [child.node.id for child in app.node.children]
    check_stacks(outdir, order, environments, report, origins, pack)
    (outdir / GUARDRAILS_REPORT).write_text(json.dumps(report.as_json(), indent=2, sort_keys=True) + "\n")
    if report.errors:
        raise GuardrailError(report)
    return order


def cmd_synth(args: argparse.Namespace) -> int:
    from mlops_iac.guardrails import Report

    from . import STARTED

    if args.under_cdktf_cli and os.environ.get("CDKTF_OUTDIR"):
        # The cdktf CLI owns its output directory and swaps it itself.
        report = Report()
        synthesize(args.envs, Path(os.environ["CDKTF_OUTDIR"]), report, only_envs=args.env, only_stacks=args.stack)
        for finding in report.warnings:
            print(finding.render(), file=sys.stderr)
        return 0

    from .output import replace_atomically
    from .summary import summarize

    report = Report()
    with replace_atomically(args.out) as staging:
        order = synthesize(args.envs, staging, report, only_envs=args.env, only_stacks=args.stack)
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
    from mlops_iac.config.schema import PROJECT_SCHEMAS, SCHEMAS, render_project_schema, render_schema

    for name in SCHEMAS:
        target = args.envs / name
        target.write_text(render_schema(name))
        print(f"wrote {target}")
    projects = args.envs.parent / "projects"
    projects.mkdir(exist_ok=True)
    for name in PROJECT_SCHEMAS:
        target = projects / name
        target.write_text(render_project_schema(name))
        print(f"wrote {target}")
    return 0


def cmd_docs(args: argparse.Namespace) -> int:
    """Re-generate docs/access-matrix.md from envs/access.yaml."""
    from .docs import ACCESS_DOC, render_access_doc

    ACCESS_DOC.parent.mkdir(exist_ok=True)
    ACCESS_DOC.write_text(render_access_doc(args.envs))
    print(f"wrote {ACCESS_DOC}")
    return 0


def cmd_import_bundle(args: argparse.Namespace) -> int:
    """A Databricks Asset Bundle -> projects/<name>/ (specs, variables, overrides) and a report."""
    from mlops_iac.config.bundle_import import import_bundle, parse_target_map

    report = import_bundle(args.bundle, args.project, args.projects, parse_target_map(args.target_map),
                           args.repo_url, args.git_provider, args.bundle_folder)
    print(report.render())
    return 0


def cmd_import_job(args: argparse.Namespace) -> int:
    """A `databricks jobs get` export -> projects/<name>/jobs/<job>.yml and a report."""
    from mlops_iac.config.bundle_import import import_job

    report = import_job(args.job, args.project, args.projects, args.key, args.repo_url, args.git_provider)
    print(report.render())
    return 0


def _import_parsers(sub) -> None:
    bundle = sub.add_parser("import-bundle", help="turn a Databricks Asset Bundle into a project folder")
    bundle.add_argument("bundle", type=Path, help="the bundle folder (with databricks.yml)")
    bundle.add_argument("--target-map", help="bundle target=environment pairs, e.g. dev=prodfix,staging=qa,prod=prod "
                                             "(default: each target is the environment of the same name)")
    bundle.add_argument("--bundle-folder", default="",
                        help="the bundle's folder inside the project repository (default: its root)")
    bundle.set_defaults(run=cmd_import_bundle)
    job = sub.add_parser("import-job", help="turn a `databricks jobs get` JSON export into a job spec")
    job.add_argument("job", type=Path, help="the JSON file")
    job.add_argument("--key", help="spec file name (default: from the job name)")
    job.set_defaults(run=cmd_import_job)
    for command in (bundle, job):
        command.add_argument("--project", required=True, help="project folder name (projects/<name>)")
        command.add_argument("--projects", type=Path, default=Path("projects"), help="where project folders live")
        command.add_argument("--repo-url", help="the project's git repository (https://...)")
        command.add_argument("--git-provider", default="gitHub", help="as Databricks names it (default gitHub)")


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
    synth.add_argument("--env", action="append", default=[], metavar="NAME",
                       help="build only this environment's stacks (repeatable; all are still validated)")
    synth.add_argument("--stack", action="append", default=[], metavar="GLOB",
                       help="build only the environments with a stack matching GLOB, e.g. 'prod-*' (repeatable)")
    synth.add_argument("--under-cdktf-cli", action="store_true",
                       help="called by the cdktf CLI (cdktf.json): write to $CDKTF_OUTDIR")
    synth.set_defaults(run=cmd_synth)
    sub.add_parser("golden", help="re-generate the estate snapshots and the test fixtures' expected files").set_defaults(run=cmd_golden)
    sub.add_parser("schema", help="re-generate envs/*schema.json and projects/*.schema.json").set_defaults(
        run=cmd_schema)
    sub.add_parser("docs", help="re-generate docs/access-matrix.md").set_defaults(run=cmd_docs)
    _import_parsers(sub)
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
    from . import deploy, listing, plan, run_tests  # CI commands: each in its own module

    listing.register(sub, DEFAULT_ENVS)
    plan.register(sub, DEFAULT_ENVS, DEFAULT_OUT)
    deploy.register(sub, DEFAULT_ENVS, DEFAULT_OUT)
    run_tests.register(sub, DEFAULT_ENVS)
    return p


# A synth allocates millions of small objects that live to the end (located YAML, models, bodies):
# collecting the young generation every 200,000 allocations instead of every 700 saves ~20% of
# Python's CPU at 100 projects, with the same peak memory (measured).
GC_THRESHOLDS = (200_000, 30, 30)


def main(argv: list[str] | None = None) -> int:
    from . import interrupts

    gc.set_threshold(*GC_THRESHOLDS)
    args = parser().parse_args(argv)
    try:
        with interrupts.handled():
            return _run(args)
    except BaseException:  # whatever a signal caused (KeyboardInterrupt, a dead kernel's errors)
        if (signum := interrupts.received()) is None:
            raise
        print(_interrupted_message(args, signum), file=sys.stderr)
        return interrupts.exit_code(signum)


def _interrupted_message(args: argparse.Namespace, signum: int) -> str:
    import signal

    from .output import replaced

    out = getattr(args, "out", None)
    name = signal.Signals(signum).name
    if out is None:
        return f"interrupted ({name})"
    if Path(os.path.abspath(out)) in replaced:
        return f"interrupted ({name}) after {out}/ was written"
    return f"interrupted ({name}): stopped before writing; the previous {out}/ is kept"


def _run(args: argparse.Namespace) -> int:
    from . import interrupts
    from .output import OutputBusy
    from .repository_rules import RulesFileError

    try:
        return args.run(args)
    except ConfigError as error:
        print(error.render(), file=sys.stderr)
        return 1
    except (BundleError, UsageError, SelectionError, OutputBusy, RulesFileError) as error:
        print(f"error: {error}", file=sys.stderr)
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
        if os.environ.get("MLOPS_IAC_DEBUG") or interrupts.received() is not None:
            raise
        print(f"internal error: {type(error).__name__}: {error}\n"
              "(set MLOPS_IAC_DEBUG=1 for a traceback; please report it)", file=sys.stderr)
        return 2
