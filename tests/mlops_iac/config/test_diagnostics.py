"""Diagnostics render safely whatever the input: cut, escaped and masked."""
from __future__ import annotations

from mlops_iac.config.diagnostics import Diagnostic, safe_text
from mlops_iac.config.located import Location

AT = Location("envs/qa.yaml", 3, 5)


def rendered(path: str, message: str, **fields) -> str:
    return Diagnostic(AT, path, message, **fields).render()


def test_long_values_are_cut_with_their_length():
    text = rendered("storage.account", "expected a mapping, got string '" + "a" * 5000 + "'")
    assert text == f"envs/qa.yaml:3:5: storage.account: expected a mapping, got string '{'a' * 80}\u2026 (5000 characters)'"


def test_control_characters_and_ansi_escapes_are_escaped():
    text = rendered("display_name", "got string 'x\x1b[31mred\x07\r\u202e'")
    assert text.endswith("got string 'x\\x1b[31mred\\x07\\x0d\\u202e'")
    assert not any(ord(ch) < 0x20 for ch in text)


def test_secret_looking_values_are_masked_anywhere():
    token = "ghp_" + "A" * 36
    pat = "dapi" + "0" * 32
    text = rendered("storage", f"expected a mapping, got string '{token}'", expected=f"not {pat}")
    assert token not in text and pat not in text
    assert "'ghp_\u2026'" in text and "not dapi\u2026" in text


def test_values_of_secret_looking_keys_are_masked():
    text = rendered("tasks[t].new_cluster.spark_env_vars.CLIENT_SECRET", "expected a string, got string 'hunter22'",
                    suggestion="CLIENT_SECRET")
    assert "hunter22" not in text and "'hunt\u2026'" in text
    assert "did you mean 'CLIENT_SECRET'?" in text


def test_keys_and_references_stay_readable():
    assert safe_text("unknown key 'client_secret'", "client_secret") == "unknown key 'client_secret'"
    assert safe_text("got '{{secrets/mlops/token}}'", "token") == "got '{{secrets/mlops/token}}'"


def test_whole_messages_are_bounded():
    assert len(safe_text("x" * 100_000)) < 1100


def test_a_value_cannot_fake_a_diagnostic_line_of_its_own():
    text = rendered("display_name", "got string 'QA\nenvs/prod.yaml:1:1: all good'")
    assert text.count("\n") == 0 and "'QA\\x0aenvs/prod.yaml:1:1: all good'" in text
