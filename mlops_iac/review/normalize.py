"""Environment names normalized away (qa, ml_qa, /Shared/mlops/qa, stmlopsqa -> <env>), so the
same resource in two environments compares equal when only its environment differs. Used by the
environment diff and by the change summary, which shows a change made in several environments
once."""
from __future__ import annotations

import re
from typing import Any

GUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
HOST = re.compile(r"https://adb-[0-9]+\.[0-9]+\.azuredatabricks\.net")


def normalizer(env: str, names_only: bool = False):
    """Replace the environment's name (and, unless ``names_only``, GUIDs and workspace hosts)
    everywhere in a value, so two environments' values compare equal when only those differ."""
    # The name as a word or a word's ending: qa, ml_qa, /Shared/mlops/qa, stmlopsqa.
    word = re.compile(rf"{re.escape(env)}(?![A-Za-z0-9])")

    def normalize(value: Any) -> Any:
        if isinstance(value, str):
            return word.sub("<env>", value if names_only else HOST.sub("<workspace-url>", GUID.sub("<guid>", value)))
        if isinstance(value, dict):
            return {normalize(k): normalize(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return type(value)(normalize(v) for v in value)
        return value
    return normalize
