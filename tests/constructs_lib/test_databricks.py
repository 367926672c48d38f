from constructs_lib.azure import Workspace
from constructs_lib.databricks import WorkspaceFolder, WorkspaceFolderProps, bind_workspace_provider
from tests.conftest import only, resources


def test_provider_binds_to_exactly_the_given_workspace(synth):
    ref = Workspace.from_workspace_attributes("https://adb-1.2.azuredatabricks.net", "/subscriptions/s/ws")

    def build(scope):
        bind_workspace_provider(scope, ref)
        WorkspaceFolder(scope, "folder", WorkspaceFolderProps(path="/Shared/mlops/dev"))

    tf = synth(build)
    assert tf["provider"]["databricks"] == [{
        "host": "https://adb-1.2.azuredatabricks.net", "azure_workspace_resource_id": "/subscriptions/s/ws"}]
    assert only(resources(tf, "databricks_directory"))["path"] == "/Shared/mlops/dev"


def test_workspace_folder_with_all_defaults_refuses_recursive_delete(synth):
    tf = synth(lambda s: WorkspaceFolder(s, "folder", WorkspaceFolderProps(path="/Shared/x")))
    assert only(resources(tf, "databricks_directory"))["delete_recursive"] is False
