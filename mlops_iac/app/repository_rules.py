"""A repository's own guardrail rules: `stacks/rules.py` beside the estate's `envs/` folder.

The file is the repository's Python, loaded like cdktf loads the app it runs: from the estate's own
folder, whatever the current directory or the way the tool was installed. It defines
`CUSTOM_RULES`, a tuple of `mlops_iac.guardrails.Rule`; a file that fails to load or defines
something else is a clear error, not a traceback.
"""
from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

from mlops_iac.guardrails import DEFAULT_PACK, Pack, Rule

RULES_FILE = Path("stacks") / "rules.py"
_MODULE = "mlops_iac_repository_rules"


class RulesFileError(Exception):
    """The repository's rules file cannot be used; the message names the file and the problem."""


def rules_file(envs_dir: Path) -> Path:
    """Where the rules of the estate in ``envs_dir`` live."""
    return Path(envs_dir).parent / RULES_FILE


def load_repository_rules(envs_dir: Path) -> tuple[Rule, ...]:
    """The rules of the repository that holds ``envs_dir``; none when it has no rules file."""
    path = rules_file(envs_dir)
    if not path.is_file():
        return ()
    spec = importlib.util.spec_from_file_location(_MODULE, path)
    if spec is None or spec.loader is None:
        raise RulesFileError(f"{path}: cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    try:
        spec.loader.exec_module(module)
    except Exception as error:  # the repository's own code: report it, do not crash the tool
        raise RulesFileError(f"{path}: failed to load: {type(error).__name__}: {error}") from error
    finally:
        sys.modules.pop(_MODULE, None)
    rules = getattr(module, "CUSTOM_RULES", None)
    if not isinstance(rules, (tuple, list)) or not all(isinstance(rule, Rule) for rule in rules):
        raise RulesFileError(f"{path}: CUSTOM_RULES: expected a tuple of mlops_iac.guardrails.Rule, "
                             f"got {type(rules).__name__ if rules is not None else 'nothing'}")
    clashes = sorted({rule.id for rule in rules} & {rule.id for rule in DEFAULT_PACK.rules})
    if clashes:
        raise RulesFileError(f"{path}: CUSTOM_RULES: rule id {', '.join(clashes)} is already a default rule; "
                             "give your rule an id of its own")
    return tuple(rules)


def repository_pack(envs_dir: Path) -> Pack:
    """The default pack plus the repository's own rules."""
    return DEFAULT_PACK.with_rules(*load_repository_rules(envs_dir))
