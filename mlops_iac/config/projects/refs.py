"""References inside specs to objects created in the same deployment, resolved to ids in stacks.

Written as whole-string placeholders: `{job:model-train}` (a job's id), `{pipeline:monitoring}`
(a DLT pipeline's id). The cluster policy of a job cluster is a PolicyRef too.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Ref:
    kind: str  # job | pipeline | policy
    name: str

    def __str__(self) -> str:
        return "{" + f"{self.kind}:{self.name}" + "}"
