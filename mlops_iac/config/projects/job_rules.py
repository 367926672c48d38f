"""Rules on a job spec (API shape, located) that the provider or API would enforce only at apply
time. Each returns diagnostics; paths name tasks by key (tasks[train].depends_on). Enum values
(run_if, health rule op, ...) are checked with the schema, from the SDK's enums (spec_schema.py)."""
from __future__ import annotations

import re
import zoneinfo
from functools import lru_cache
from typing import Iterable, Iterator, Optional

from mlops_iac.provider_facts.specs import (
    MAX_WEBHOOKS_PER_EVENT, PARAMETER_NAME, SERVERLESS_NEEDS_ENVIRONMENT, TASK_TYPES,
)

from ..diagnostics import Diagnostic, closest
from ..located import LMap, LNode, LScalar, LSeq
from .spec_schema import render

def _get(node: Optional[LNode], *keys: str) -> Optional[LNode]:
    for key in keys:
        if not isinstance(node, LMap) or key not in node.entries:
            return None
        node = node.entries[key].value
    return node


def _text(node: Optional[LNode]) -> Optional[str]:
    return node.value if isinstance(node, LScalar) and isinstance(node.value, str) else None


def _items(node: Optional[LNode]) -> list[LNode]:
    return node.items if isinstance(node, LSeq) else []


def _key(node: Optional[LNode]) -> Optional[str]:
    """A key as Databricks compares it (text). A number given as a key is reported by the schema
    check; it still takes part in the reference checks here, as its text."""
    if isinstance(node, LScalar) and isinstance(node.value, (str, int, float)) and not isinstance(node.value, bool):
        return node.value if isinstance(node.value, str) else str(node.value)
    return None


def _keyed(node: Optional[LNode], key: str) -> list[tuple[str, LNode]]:
    return [(_key(_get(item, key)) or f"#{i}", item) for i, item in enumerate(_items(node))]


def unique_keys(items: list[tuple[str, LNode]], list_name: str, key: str) -> Iterator[Diagnostic]:
    """Each key of a keyed list once (job_cluster_key, environment_key, parameter name, label)."""
    seen: set[str] = set()
    for name, item in items:
        if name in seen and not name.startswith("#"):
            yield _d(_get(item, key), (f"{list_name}[{name}]", key), f"{key} '{name}' is used twice",
                     f"unique {key} values in {list_name}")
        seen.add(name)


def _d(node: LNode, path: tuple, message: str, expected: str | None = None, suggestion: str | None = None) -> Diagnostic:
    return Diagnostic(node.loc, render(path), message, expected, suggestion)


def _exactly_one(node: LNode, path: tuple, options: tuple[str, ...], what: str) -> Iterator[Diagnostic]:
    present = [o for o in options if isinstance(node, LMap) and o in node.entries]
    if len(present) != 1:
        yield _d(node, path, f"{what} sets {', '.join(present) if present else 'none of them'}",
                 "exactly one of " + ", ".join(options))


def single_task_format(spec: LMap) -> Iterable[Diagnostic]:
    for key in TASK_TYPES + ("new_cluster", "libraries", "existing_cluster_id"):
        if key in spec.entries:
            yield Diagnostic(spec.entries[key].key_loc, key, f"top-level '{key}' is the deprecated single-task format",
                             "tasks: [{task_key: ..., " + key + ": ...}]")


def tasks_are_well_formed(spec: LMap) -> Iterable[Diagnostic]:
    tasks = _keyed(_get(spec, "tasks"), "task_key")
    if not tasks:
        yield _d(spec, ("tasks",), "a job needs at least one task", "tasks: [{task_key: ..., notebook_task: ...}]")
    keys = [k for k, _ in tasks]
    clusters = [k for k, _ in _keyed(_get(spec, "job_clusters"), "job_cluster_key")]
    environments = [k for k, _ in _keyed(_get(spec, "environments"), "environment_key")]
    seen: set[str] = set()
    for key, task in tasks:
        path = (f"tasks[{key}]",)
        if key in seen:
            yield _d(task, path + ("task_key",), f"task_key '{key}' is used twice", "unique task keys")
        seen.add(key)
        yield from _task(task, path, keys, clusters, environments)
    yield from unique_keys(_keyed(_get(spec, "job_clusters"), "job_cluster_key"), "job_clusters", "job_cluster_key")
    yield from unique_keys(_keyed(_get(spec, "environments"), "environment_key"), "environments", "environment_key")
    for key, cluster in _keyed(_get(spec, "job_clusters"), "job_cluster_key"):
        if _get(cluster, "new_cluster", "libraries") is not None:
            yield _d(_get(cluster, "new_cluster", "libraries"), (f"job_clusters[{key}]", "new_cluster", "libraries"),
                     "libraries are not allowed on a job cluster", "libraries on the tasks that use the cluster")
    yield from _cycles(tasks)


def _task(task: LNode, path: tuple, keys: list[str], clusters: list[str], environments: list[str]) -> Iterator[Diagnostic]:
    yield from _exactly_one(task, path, TASK_TYPES, "task")
    for i, dep in enumerate(_items(_get(task, "depends_on"))):
        name = _key(_get(dep, "task_key"))
        if name is not None and name not in keys:
            yield _d(dep, path + ("depends_on", i), f"no task '{name}' in this job",
                     "one of " + ", ".join(keys), closest(name, keys))
    for field, known in (("job_cluster_key", clusters), ("environment_key", environments)):
        name = _key(_get(task, field))
        if name is not None and name not in known:
            yield _d(_get(task, field), path + (field,), f"no {field.replace('_key', '')} '{name}' in this job",
                     ("one of " + ", ".join(known)) if known else f"a {field.replace('_key', 's')} entry defining it",
                     closest(name, known))
    compute = [f for f in ("job_cluster_key", "new_cluster", "existing_cluster_id") if _get(task, f) is not None]
    kinds = [t for t in SERVERLESS_NEEDS_ENVIRONMENT if _get(task, t) is not None]
    if kinds and not compute and _get(task, "environment_key") is None:
        yield _d(task, path, f"a serverless {kinds[0]} needs an environment",
                 "environment_key naming an environments entry (or a cluster)")
    yield from _notifications(task, path)
    inner = _get(task, "for_each_task", "task")
    if inner is not None:
        yield from _task(inner, path + ("for_each_task", "task"), keys, clusters, environments)


def _cycles(tasks: list[tuple[str, LNode]]) -> Iterator[Diagnostic]:
    graph = {key: [_key(_get(d, "task_key")) for d in _items(_get(task, "depends_on"))] for key, task in tasks}
    nodes = dict(tasks)
    state: dict[str, int] = {}

    def visit(key: str, trail: list[str]) -> Optional[list[str]]:
        state[key] = 1
        for nxt in graph.get(key, []):
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return trail + [key, nxt]
            if nxt not in state:
                found = visit(nxt, trail + [key])
                if found:
                    return found
        state[key] = 2
        return None

    for key in sorted(graph):
        if key not in state:
            cycle = visit(key, [])
            if cycle:
                start = cycle.index(cycle[-1])
                loop = cycle[start:]
                yield _d(nodes[loop[0]], (f"tasks[{loop[0]}]", "depends_on"),
                         "tasks depend on each other in a cycle: " + " -> ".join(loop), "a dependency graph without cycles")
                return


def triggers_are_exclusive(spec: LMap) -> Iterable[Diagnostic]:
    present = [k for k in ("schedule", "continuous", "trigger") if k in spec.entries]
    if len(present) > 1:
        second = spec.entries[present[1]]
        yield Diagnostic(second.key_loc, present[1], f"{' and '.join(present)} are set together",
                         "at most one of schedule, continuous or trigger")


def schedule_is_valid(spec: LMap) -> Iterable[Diagnostic]:
    schedule = _get(spec, "schedule")
    cron = _get(schedule, "quartz_cron_expression")
    if isinstance(cron, LScalar):
        problem = quartz_problem(str(cron.value))
        if problem:
            yield _d(cron, ("schedule", "quartz_cron_expression"), f"'{cron.value}' is not a Quartz cron expression: {problem}",
                     "seconds minutes hours day-of-month month day-of-week [year], e.g. 0 0 0 * * ?")
    zone = _get(schedule, "timezone_id")
    if isinstance(zone, LScalar) and str(zone.value) not in _timezones():
        yield _d(zone, ("schedule", "timezone_id"), f"'{zone.value}' is not an IANA time zone",
                 "a zone such as UTC, Europe/Berlin or US/Central", closest(str(zone.value), _timezones()))


@lru_cache(maxsize=1)
def _timezones() -> frozenset[str]:
    return frozenset(zoneinfo.available_timezones())


_FIELD_RANGES = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (1, 7), (1970, 2199))
_NAMES = {4: "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(), 5: "SUN MON TUE WED THU FRI SAT".split()}
_ATOM = re.compile(r"(\*|\?|L|LW|[0-9A-Z]+(-[0-9A-Z]+)?|[0-9]+W|[0-9A-Z]+L|[0-9A-Z]+#[1-5])(/[0-9]+)?")


@lru_cache(maxsize=1024)  # pure; one schedule is checked once per environment
def quartz_problem(expression: str) -> Optional[str]:
    """Why a Quartz cron expression is invalid, or None. Checks field count, syntax and ranges,
    and that exactly one of day-of-month and day-of-week is '?'."""
    fields = expression.split()
    if len(fields) not in (6, 7):
        return f"{len(fields)} fields (expected 6 or 7)"
    for index, field in enumerate(fields):
        low, high = _FIELD_RANGES[index]
        for part in field.upper().split(","):
            if not _ATOM.fullmatch(part):
                return f"field {index + 1} '{field}' has invalid syntax"
            for number in re.findall(r"[0-9]+", part.split("/")[0].split("#")[0]):
                if not low <= int(number) <= high:
                    return f"field {index + 1} value {number} outside {low}-{high}"
            for word in re.findall(r"[A-Z]{3}", part):
                if word not in _NAMES.get(index, ()):
                    return f"field {index + 1} has unknown name {word}"
    if (fields[3] == "?") == (fields[5] == "?"):
        return "exactly one of day-of-month (field 4) and day-of-week (field 6) must be '?'"
    return None


def identities_are_single(spec: LMap) -> Iterable[Diagnostic]:
    run_as = _get(spec, "run_as")
    if run_as is not None:
        yield from _exactly_one(run_as, ("run_as",), ("user_name", "service_principal_name"), "run_as")
    git = _get(spec, "git_source")
    if git is not None:
        yield from _exactly_one(git, ("git_source",), ("git_branch", "git_tag", "git_commit"), "git_source")


def parameters_are_valid(spec: LMap) -> Iterable[Diagnostic]:
    yield from unique_keys(_keyed(_get(spec, "parameters"), "name"), "parameters", "name")
    for i, parameter in enumerate(_items(_get(spec, "parameters"))):
        name = _text(_get(parameter, "name"))
        if name is not None and not re.fullmatch(PARAMETER_NAME, name):
            yield _d(_get(parameter, "name"), ("parameters", i, "name"), f"parameter name '{name}' is not allowed",
                     "letters, digits, '_', '.' and '-' only")


def _notifications(node: LNode, path: tuple) -> Iterator[Diagnostic]:
    hooks = _get(node, "webhook_notifications")
    if isinstance(hooks, LMap):
        for event, entry in hooks.entries.items():
            if isinstance(entry.value, LSeq) and len(entry.value.items) > MAX_WEBHOOKS_PER_EVENT:
                yield _d(entry.value, path + ("webhook_notifications", event),
                         f"{len(entry.value.items)} webhook destinations for {event}",
                         f"at most {MAX_WEBHOOKS_PER_EVENT} per event")


def job_level_notifications(spec: LMap) -> Iterable[Diagnostic]:
    yield from _notifications(spec, ())


JOB_RULES = (single_task_format, tasks_are_well_formed, triggers_are_exclusive, schedule_is_valid,
             identities_are_single, parameters_are_valid, job_level_notifications)


def check_job(spec: LMap) -> list[Diagnostic]:
    return [d for rule in JOB_RULES for d in rule(spec)]
