"""The shared secret detector: every pattern found (also upper case and base64-wrapped), references
and ordinary configuration values left alone, secrets never echoed."""
import pytest

from mlops_iac.provider_facts.secret_patterns import find_secret, find_secrets_in_text, is_secret_key
from tests.fake_secrets import by_key, by_value


@pytest.mark.parametrize("what, value", sorted(by_value().items()))
def test_every_shape_is_found_by_value(what, value):
    found = find_secret(value)
    assert found is not None and found.what == what.strip()
    assert found.masked == found.masked[:4] + "\u2026" and value not in found.describe()


@pytest.mark.parametrize("key, value", sorted(by_key().items()))
def test_keys_that_name_a_secret_are_found_in_any_case(key, value):
    assert find_secret(value) is None  # nothing in the value itself
    found = find_secret(value, key)
    assert found is not None and found.what == f"literal value under '{key}'" and value not in found.describe()


@pytest.mark.parametrize("value", ["{{secrets/mlops/sp-secret}}", "{{ secrets/kv-scope/db.password }}",
                                   "${var.client_secret}", "{db_password}", "$DATABRICKS_TOKEN", ""])
def test_references_and_placeholders_are_not_secrets(value):
    assert find_secret(value, "client_secret") is None


@pytest.mark.parametrize("value", [
    "Standard_DS3_v2", "15.4.x-cpu-ml-scala2.12", "https://dev.azure.com/contoso/ml/_git/churn",
    "/subscriptions/5b1c3a0e-1d2f-4e3a-9b4c-6d7e8f901a03/resourceGroups/rg-net/providers/Microsoft.Network/"
    "virtualNetworks/vnet-mlops-prod/subnets/snet-dbw-container", "3f2a1b4c-5d6e-4f70-8a9b-0c1d2e3f4a53",
    "The secret: scope mlops holds the keys", "/Repos/mlops-prod/churn/src/notebooks/Train"])
def test_ordinary_values_are_not_secrets(value):
    assert find_secret(value) is None


def test_key_names_that_are_not_secrets():
    assert not any(is_secret_key(k) for k in ("secret_scope", "name", "token_lifetime", "max_tokens", "key_vault"))
    assert all(is_secret_key(k) for k in ("spark.hadoop.fs.azure.account.key.st.dfs.core.windows.net",
                                          "fs.azure.account.oauth2.client.secret", "DATABRICKS_TOKEN"))


def test_scripts_are_scanned_line_by_line():
    script = "#!/bin/bash\nexport AZURE_CLIENT_SECRET=" + "fake-" + "x" * 8 + "\nexport T=$TOKEN\n" \
             "curl -H 'Authorization: Bearer " + by_value()["Databricks personal access token"] + "'\n"
    found = find_secrets_in_text(script)
    assert [(f.line, f.column, f.what) for f in found] == [
        (2, 28, "literal AZURE_CLIENT_SECRET"), (4, 32, "Databricks personal access token")]


def _unfiltered_findings(text: str) -> list:
    """The full scan without the prefilter: what the detector would find if it looked at everything."""
    import mlops_iac.provider_facts.secret_patterns as patterns

    originals = patterns.MAYBE_SECRET, patterns.ASSIGNMENT_WORD
    patterns.MAYBE_SECRET = patterns.ASSIGNMENT_WORD = patterns.re.compile("")  # match every text
    try:
        return [found for found, _ in patterns._by_value(text, 0)]
    finally:
        patterns.MAYBE_SECRET, patterns.ASSIGNMENT_WORD = originals


@pytest.mark.parametrize("value", sorted(by_value().values()) + [
    "password=" + "hunter22", "AccountKey=" + "x" * 8, "PWD: " + "y" * 7, "https://user:" + "p" * 6 + "@host/db",
    "https://x.blob.core.windows.net/c?sv=2022&sig=" + "A" * 24, "export APIKEY=" + "z" * 9])
def test_the_prefilter_lets_every_secret_through(value):
    """MAYBE_SECRET and ASSIGNMENT_WORD only skip texts no pattern can match: with and without
    them, the same findings, also for the secret inside a longer text."""
    from mlops_iac.provider_facts.secret_patterns import MAYBE_SECRET, _by_value

    for text in (value, f"before {value} after"):
        assert MAYBE_SECRET.search(text)
        assert [f for f, _ in _by_value(text, 0)] == _unfiltered_findings(text) != []


@pytest.mark.parametrize("value", ["churn", "Standard_DS3_v2", "/Shared/mlops/Train",
                                   "15.4.x-cpu-ml-scala2.12", "0 0 3 ? * MON"])
def test_the_prefilter_skips_ordinary_values(value):
    from mlops_iac.provider_facts.secret_patterns import MAYBE_SECRET

    assert MAYBE_SECRET.search(value) is None and _unfiltered_findings(value) == []
