"""mlops-iac's app and command line: environments in envs/ -> platform and workspace stacks."""
import time

STARTED = time.perf_counter()  # the synth summary reports time from process start

from constructs_lib import _bindings  # noqa: E402  (cheap: prepares jsii, loads no bindings)

_bindings.use_supported_node()
