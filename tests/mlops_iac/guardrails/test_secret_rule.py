"""NO-LITERAL-SECRETS over synthesized JSON: the shared detector, one case per secret shape, by key
in any case, inside uploaded files (content_base64), and secret references accepted."""
import base64
import json

import pytest

from mlops_iac.guardrails import DEFAULT_PACK, StackView
from mlops_iac.guardrails.model import evaluate
from tests.fake_secrets import by_key, by_value

INFO = "literal secret or token in the synthesized configuration"


def _findings(resources: dict) -> list:
    view = StackView("dev-workspace", "dev", False, {"resource": resources})
    return [f for f in evaluate(DEFAULT_PACK, view, ()) if f.rule_id == "NO-LITERAL-SECRETS"]


def _cluster(**settings) -> dict:
    return {"databricks_cluster": {"c": {"cluster_name": "c", **settings}}}


@pytest.mark.parametrize("what, value", sorted(by_value().items()))
def test_every_secret_shape_is_found(what, value):
    [finding] = _findings(_cluster(spark_conf={"spark.some.setting": value}))
    article = "an" if what[0] in "aA" else "a"
    assert finding.message.startswith(f"{INFO}: spark_conf.spark.some.setting holds {article} {what.strip()} ('")
    assert value not in finding.message


@pytest.mark.parametrize("key, value", sorted(by_key().items()))
def test_secret_keys_are_found_in_any_case(key, value):
    [finding] = _findings(_cluster(spark_env_vars={key: value}))
    assert finding.message == f"{INFO}: spark_env_vars.{key} holds a literal value under '{key}' ('{value[:4]}\u2026')"


def test_init_scripts_are_decoded_before_they_are_scanned():
    script = "#!/bin/bash\nexport GH=" + by_value()["GitHub token"] + "\n"
    content = base64.b64encode(script.encode()).decode()
    [finding] = _findings({"databricks_workspace_file": {"f": {"path": "/x.sh", "content_base64": content}}})
    assert finding.message == f"{INFO}: content_base64 (decoded, line 2) holds a GitHub token ('ghp_\u2026')"


def test_secret_references_and_clean_files_pass():
    ref = "{{secrets/mlops/sp-secret}}"
    clean = base64.b64encode(b"#!/bin/bash\npip install contoso-ml==1.0\n").decode()
    assert _findings({**_cluster(spark_conf={"fs.azure.account.oauth2.client.secret": ref},
                                 spark_env_vars={"AZURE_CLIENT_SECRET": ref, "TOKEN": "${var.token}"}),
                      "databricks_workspace_file": {"f": {"path": "/x.sh", "content_base64": clean}}}) == []


def test_policy_definitions_are_read_as_json():
    definition = json.dumps({"spark_env_vars.AZURE_CLIENT_SECRET": {"type": "fixed", "value": "fake-" + "z" * 10},
                             "spark_env_vars.PASSWORD": {"type": "fixed", "value": "{{secrets/mlops/pw}}"}})
    [finding] = _findings({"databricks_cluster_policy": {"p": {"name": "p", "definition": definition}}})
    assert finding.message == (f"{INFO}: definition[spark_env_vars.AZURE_CLIENT_SECRET].value holds a literal value "
                               "under 'spark_env_vars.AZURE_CLIENT_SECRET' ('fake\u2026')")
