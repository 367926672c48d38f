"""Cross-references between the specs of one project in one environment, checked before any
construct exists (the constructs would otherwise fail with an internal error):

- two jobs (or two pipelines) with the same workspace name: reported at both specs' lines;
- a job that refers to itself ({job:<itself>}, e.g. in run_job_task), or jobs that refer to each
  other in a cycle (Terraform cannot create either: each id waits for the other).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

from ..diagnostics import Diagnostic
from ..located import LMap, LNode, LScalar, LSeq, Location
from .deployment import ProjectDeployment, SpecDeployment
from .job_rules import _get, _key
from .refs import Ref
from .spec_schema import render


@dataclass
class CrossRefs:
    names: dict[tuple[str, str], list[tuple[str, Location]]] = field(default_factory=dict)
    runs: dict[str, list[tuple[str, Location, str]]] = field(default_factory=dict)  # job -> (target, where, path)

    @staticmethod
    def origin(node: LMap) -> Location:
        return node.entries["name"].value.loc if "name" in node.entries else node.loc

    def add_spec(self, kind: str, key: str, name: str, node: LMap) -> None:
        where = self.origin(node)
        family = "pipeline" if kind == "pipeline" else "job"
        self.names.setdefault((family, name), []).append((key, where))
        if family == "job":
            self.runs[key] = list(_job_runs(node))

    def diagnostics(self) -> list[Diagnostic]:
        return list(self._duplicates()) + list(self._cycles())

    def _duplicates(self) -> Iterator[Diagnostic]:
        for (family, name), specs in sorted(self.names.items()):
            if len(specs) > 1:
                for key, where in specs:
                    others = ", ".join(k for k, _ in specs if k != key)
                    yield Diagnostic(where, "name", f"{family} name '{name}' is also produced by spec '{others}'",
                                     f"a unique name per {family} in an environment (each spec's name: or file name)")

    def _cycles(self) -> Iterator[Diagnostic]:
        for job, edges in sorted(self.runs.items()):
            for target, where, path in edges:
                if target == job:
                    yield Diagnostic(where, path, f"job '{job}' refers to itself (runs itself through run_job_task)",
                                     "another job of the project, or no run_job_task")
        reported: set[frozenset[str]] = set()
        for job in sorted(self.runs):
            loop = self._loop_from(job)
            if loop and frozenset(loop) not in reported and len(loop) > 1:
                reported.add(frozenset(loop))
                target, where, path = next(e for e in self.runs[loop[0]] if e[0] == loop[1 % len(loop)])
                yield Diagnostic(where, path, "jobs refer to each other in a cycle (run_job_task): "
                                 + " -> ".join(loop + [loop[0]]), "run_job_task references without cycles")

    def _loop_from(self, start: str) -> Optional[list[str]]:
        """The shortest cycle through ``start``, or None."""
        frontier: list[list[str]] = [[start]]
        seen = {start}
        while frontier:
            trail = frontier.pop(0)
            for target, _, _ in self.runs.get(trail[-1], []):
                if target == start and trail[-1] != start:
                    return trail
                if target not in seen and target in self.runs:
                    seen.add(target)
                    frontier.append(trail + [target])
        return None


def names_unique_in_environment(deployments: Iterable[ProjectDeployment]) -> list[Diagnostic]:
    """Two projects of one environment whose specs get the same workspace name (project 'a-b' with
    job 'c' and project 'a' with job 'b-c'): an error at both specs."""
    seen: dict[tuple[str, str], list[tuple[str, SpecDeployment]]] = {}
    for deployment in deployments:
        for spec in deployment.jobs + deployment.pipelines:
            family = "pipeline" if spec.kind == "pipeline" else "job"
            # Without the environment prefix, so one clash present everywhere reads the same.
            name = spec.name.split("-", 1)[1] if "-" in spec.name else spec.name
            seen.setdefault((family, name), []).append((deployment.name, spec))
    found = []
    for (family, name), specs in sorted(seen.items()):
        if len(specs) > 1:
            for project, spec in specs:
                others = ", ".join(f"{p}/{s.key}" for p, s in specs if s is not spec)
                found.append(Diagnostic(spec.origin or Location(spec.file, 1, 1), "name",
                                        f"{family} name '<env>-{name}' is also produced by {others}",
                                        f"a unique name per {family} in an environment"))
    return found


def _job_runs(node: LNode, path: tuple = ()) -> Iterator[tuple[str, Location, str]]:
    """Every {job:...} reference in a spec, with its location and key path."""
    if isinstance(node, LScalar):
        if isinstance(node.value, Ref) and node.value.kind == "job":
            yield node.value.name, node.loc, render(path)
    elif isinstance(node, LMap):
        for key, entry in node.entries.items():
            yield from _job_runs(entry.value, path + (key,))
    elif isinstance(node, LSeq):
        for i, item in enumerate(node.items):
            label = _key(_get(item, "task_key")) if path and path[-1] == "tasks" else None
            yield from _job_runs(item, path[:-1] + (f"{path[-1]}[{label}]",) if label else path + (i,))
