"""Cross-references between specs as located errors, never internal errors: duplicate names,
run_job_task self-runs and cycles; a bundle permissions block answered with the matrix entry."""
from tests.mlops_iac.config.projects.helpers import errors

RUNS = """\
name: {name}
tasks:
  - task_key: run
    run_job_task: {{job_id: '{{job:{target}}}'}}
"""


def test_fails_at_both_specs_when_two_jobs_get_the_same_name(tmp_path):
    found = errors(tmp_path, {"jobs/a.yml": RUNS.format(name="train", target="b"),
                              "jobs/b.yml": "name: train\ntasks: [{task_key: t, notebook_task: {notebook_path: /x}}]\n"})
    assert found == [
        "projects/demo/jobs/a.yml:1:7: name: job name 'train' is also produced by spec 'b'\n"
        "  (expected a unique name per job in an environment (each spec's name: or file name))",
        "projects/demo/jobs/b.yml:1:7: name: job name 'train' is also produced by spec 'a'\n"
        "  (expected a unique name per job in an environment (each spec's name: or file name))"]


def test_fails_when_a_job_runs_itself(tmp_path):
    found = errors(tmp_path, {"jobs/a.yml": RUNS.format(name="a", target="a")})
    assert found == ["projects/demo/jobs/a.yml:4:28: tasks[run].run_job_task.job_id: job 'a' refers to itself (runs "
                     "itself through run_job_task)\n  (expected another job of the project, or no run_job_task)"]


def test_fails_when_jobs_run_each_other_in_a_cycle(tmp_path):
    found = errors(tmp_path, {"jobs/a.yml": RUNS.format(name="a", target="b"),
                              "jobs/b.yml": RUNS.format(name="b", target="c"),
                              "jobs/c.yml": RUNS.format(name="c", target="a")})
    assert found == ["projects/demo/jobs/a.yml:4:28: tasks[run].run_job_task.job_id: jobs refer to each other in a "
                     "cycle (run_job_task): a -> b -> c -> a\n  (expected run_job_task references without cycles)"]


JOB = "name: a\ntasks: [{task_key: t, notebook_task: {notebook_path: /x}}]\n"


def test_fails_on_a_bundle_permissions_block_with_the_matrix_entry(tmp_path):
    spec = JOB + "permissions:\n  - {level: CAN_MANAGE_RUN, group_name: data-scientists}\n"
    found = errors(tmp_path, {"jobs/a.yml": spec})
    assert found == [
        "projects/demo/jobs/a.yml:4:5: permissions[0]: bundle permissions are not applied: access to every job comes "
        "from the access matrix (group_name data-scientists, CAN_MANAGE_RUN)\n"
        "  (expected envs/access.yaml: roles.<role>: {group: data-scientists} and "
        "matrix.<role>.job: CAN_MANAGE_RUN)"]


def test_a_bundle_permission_names_the_role_that_already_plays_the_group(tmp_path):
    from tests.conftest import config_errors
    from tests.mlops_iac.config.projects.helpers import write_project

    spec = JOB + "permissions:\n  - {level: CAN_MANGE, group_name: ds}\n"
    envs = write_project(tmp_path, {"jobs/a.yml": spec}, envs_extra="groups:\n  ds: {}\n")
    (envs / "access.yaml").write_text("roles:\n  scientists: {group: ds}\n  ci: {deployer: true}\nmatrix:\n"
                                      "  scientists: {job: CAN_VIEW}\n  ci: {job: IS_OWNER, pipeline: IS_OWNER}\n")
    found = config_errors(envs)
    assert len(found) == 1 and found[0].endswith("(expected envs/access.yaml: matrix.scientists.job: CAN_MANAGE)")


def test_fails_when_a_reference_outside_run_job_task_closes_a_cycle(tmp_path):
    b = ("name: b\ntasks:\n  - task_key: nb\n    notebook_task:\n      notebook_path: /x\n"
         "      base_parameters: {upstream: '{job:a}'}\n")
    found = errors(tmp_path, {"jobs/a.yml": RUNS.format(name="a", target="b"), "jobs/b.yml": b})
    assert found == ["projects/demo/jobs/a.yml:4:28: tasks[run].run_job_task.job_id: jobs refer to each other in a "
                     "cycle (run_job_task): a -> b -> a\n  (expected run_job_task references without cycles)"]


def test_fails_at_both_projects_when_their_names_collide_in_an_environment(tmp_path):
    from tests.conftest import config_errors
    from tests.mlops_iac.config.projects.helpers import PROJECT, write_project

    envs = write_project(tmp_path, {"jobs/b-c.yml": JOB.replace("name: a", "name: b-c")},
                         envs_extra="")
    (envs / "defaults.yaml").write_text((envs / "defaults.yaml").read_text().replace("projects: [demo]",
                                                                                      "projects: [demo, demo-b]"))
    other = tmp_path / "projects" / "demo-b"
    (other / "jobs").mkdir(parents=True)
    (other / "project.yaml").write_text(PROJECT)
    (other / "jobs" / "c.yml").write_text(JOB.replace("name: a", "name: c"))
    found = config_errors(envs)
    assert found == [
        "projects/demo-b/jobs/c.yml:1:7: name: job name '<env>-demo-b-c' is also produced by demo/b-c\n"
        "  (expected a unique name per job in an environment)",
        "projects/demo/jobs/b-c.yml:1:7: name: job name '<env>-demo-b-c' is also produced by demo-b/c\n"
        "  (expected a unique name per job in an environment)"]
