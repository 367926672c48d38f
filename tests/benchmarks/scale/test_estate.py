"""Estate replication of the scale benchmark: the copy is a valid estate with P projects."""
import pytest

from benchmarks.scale.estate import project_names, replicate_estate, with_projects
from mlops_iac.config import load_environments
from tests.mlops_iac.config.projects.helpers import JOB, write_project


@pytest.fixture
def source(tmp_path):
    """A one-project estate (projects/demo) of its own, never the repository's envs/."""
    root = tmp_path / "source"
    write_project(root, {"jobs/train.yml": JOB})
    return root


def test_replicated_estate_loads_with_every_copy_in_every_environment(source, tmp_path):
    envs = replicate_estate(source, tmp_path / "copy", 3)

    environments = load_environments(envs)

    assert [e.config.name for e in environments] == ["dev", "qa", "prod"]  # stage order
    for loaded in environments:
        assert [d.name for d in loaded.config.deployments] == ["p001", "p002", "p003"]
    assert (source / "envs/defaults.yaml").read_text().count("projects: [demo]") == 1  # source untouched


def test_names_sort_in_creation_order_beyond_three_digits():
    names = project_names(1200)
    assert names[:2] == ["p0001", "p0002"] and names == sorted(names) and len(set(names)) == 1200


def test_block_list_of_projects_is_replaced_with_its_comments_and_the_rest_kept():
    text = "a: 1\nprojects:\n  - churn\n  # more soon\n  - fraud\nb: {c: 2}\n"

    assert with_projects(text, ["p001", "p002"]) == ("a: 1\nprojects: [p001, p002]\nb: {c: 2}\n", True)


def test_estate_without_projects_key_gets_one(source, tmp_path):
    defaults = source / "envs/defaults.yaml"
    defaults.write_text(with_projects(defaults.read_text(), [])[0].replace("projects: []\n", ""))

    envs = replicate_estate(source, tmp_path / "copy", 2)

    assert "projects: [p001, p002]" in (envs / "defaults.yaml").read_text()
    assert [d.name for d in load_environments(envs)[0].config.deployments] == ["p001", "p002"]


def test_fails_on_an_unknown_project_and_on_no_copies(source, tmp_path):
    with pytest.raises(ValueError, match="no project 'fraud'"):
        replicate_estate(source, tmp_path / "a", 2, project="fraud")
    with pytest.raises(ValueError, match="at least 1"):
        replicate_estate(source, tmp_path / "b", 0)
