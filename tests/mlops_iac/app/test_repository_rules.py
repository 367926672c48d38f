"""A repository's own rules (stacks/rules.py beside envs/): loaded from the estate's folder, checked
before use, and applied by synth after the default pack."""
from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from mlops_iac.app.repository_rules import RulesFileError, load_repository_rules, repository_pack
from mlops_iac.guardrails import DEFAULT_PACK

RULE = textwrap.dedent('''
    from mlops_iac.guardrails.model import COMPLIANT, NOT_APPLICABLE, Level, Rule, non_compliant

    def jobs_have_tags(resource, stack):
        if resource.rtype != "databricks_job":
            return NOT_APPLICABLE
        return COMPLIANT if resource.config.get("tags") else non_compliant("no tags")

    CUSTOM_RULES = (Rule("TEAM-JOB-TAGS", Level.WARNING, "job without tags",
                         "Cost reports group jobs by tag.", jobs_have_tags),)
''')


def estate_with_rules(tmp_path: Path, source: str) -> Path:
    (tmp_path / "envs").mkdir()
    (tmp_path / "stacks").mkdir()
    (tmp_path / "stacks" / "rules.py").write_text(source)
    return tmp_path / "envs"


def test_an_estate_without_a_rules_file_gets_the_default_pack(tmp_path):
    (tmp_path / "envs").mkdir()
    assert load_repository_rules(tmp_path / "envs") == ()
    assert repository_pack(tmp_path / "envs").rules == DEFAULT_PACK.rules


def test_the_repositorys_rules_follow_the_default_pack(tmp_path):
    pack = repository_pack(estate_with_rules(tmp_path, RULE))
    assert [rule.id for rule in pack.rules] == [rule.id for rule in DEFAULT_PACK.rules] + ["TEAM-JOB-TAGS"]


@pytest.mark.parametrize("source, expected", [
    ("raise RuntimeError('boom')", "failed to load: RuntimeError: boom"),
    ("CUSTOM_RULES = ['not a rule']", "CUSTOM_RULES: expected a tuple of mlops_iac.guardrails.Rule, got list"),
    ("X = 1", "CUSTOM_RULES: expected a tuple of mlops_iac.guardrails.Rule, got nothing"),
])
def test_an_unusable_rules_file_is_named_with_its_problem(tmp_path, source, expected):
    envs = estate_with_rules(tmp_path, source)
    with pytest.raises(RulesFileError) as error:
        load_repository_rules(envs)
    assert str(error.value) == f"{tmp_path / 'stacks' / 'rules.py'}: {expected}"


def test_a_rule_id_of_the_default_pack_cannot_be_taken(tmp_path):
    taken = DEFAULT_PACK.rules[0].id
    envs = estate_with_rules(tmp_path, RULE.replace('"TEAM-JOB-TAGS"', repr(taken)))
    with pytest.raises(RulesFileError, match=f"rule id {taken} is already a default rule"):
        load_repository_rules(envs)


def test_synth_reports_a_broken_rules_file_without_a_traceback(tmp_path):
    envs = estate_with_rules(tmp_path, "import does_not_exist_anywhere\n")
    result = subprocess.run([sys.executable, "-m", "mlops_iac.app", "synth", "--envs", str(envs),
                             "--out", str(tmp_path / "out")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "rules.py: failed to load: ModuleNotFoundError" in result.stderr
    assert not (tmp_path / "out").exists()
