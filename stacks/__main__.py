import sys

STARTING = "interrupted ({}) while starting; nothing written"

try:  # Ctrl-C while the modules load: a message, no traceback (Python's default handler raises)
    from . import interrupts

    interrupts.install()
except KeyboardInterrupt:
    print(STARTING.format("SIGINT"), file=sys.stderr)
    sys.exit(130)
code = None
try:
    from .cli import main

    code = main()
except interrupts.Interrupted as stop:
    if code is None:
        print(STARTING.format(stop), file=sys.stderr)
        code = interrupts.exit_code(stop.signum)
interrupts.ignore()  # the run is over: exiting (jsii stops its kernel) must not turn into a traceback
sys.exit(code)
