"""The command line's entry point (`mlops-iac`, `python -m mlops_iac.app`, this repository's
`python -m stacks`): Ctrl-C and SIGTERM at any moment end in a message and an exit code, never a
traceback."""
from __future__ import annotations

import sys

STARTING = "interrupted ({}) while starting; nothing written"


def run() -> int:
    """Install the signal handling, then run the command line; the process's exit code."""
    try:  # Ctrl-C while the modules load: a message, no traceback (Python's default handler raises)
        from . import interrupts

        interrupts.install()
    except KeyboardInterrupt:
        print(STARTING.format("SIGINT"), file=sys.stderr)
        return 130
    code = None
    try:
        from .cli import main

        code = main()
    except interrupts.Interrupted as stop:
        if code is None:
            print(STARTING.format(stop), file=sys.stderr)
            code = interrupts.exit_code(stop.signum)
    interrupts.ignore()  # the run is over: exiting (jsii stops its kernel) must not turn into a traceback
    return code
