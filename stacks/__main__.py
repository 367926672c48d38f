import sys

from . import interrupts

interrupts.install()  # Ctrl-C while the modules load: a message, no traceback
code = None
try:
    from .cli import main

    code = main()
except interrupts.Interrupted as stop:
    if code is None:
        print(f"interrupted ({stop}) while starting; nothing written", file=sys.stderr)
        code = interrupts.exit_code(stop.signum)
interrupts.ignore()  # the run is over: exiting (jsii stops its kernel) must not turn into a traceback
sys.exit(code)
