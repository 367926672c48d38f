"""The cdktf app of this repository: environments in envs/ -> platform and workspace stacks."""
from constructs_lib import _bindings

_bindings.use_supported_node()  # before anything starts jsii
