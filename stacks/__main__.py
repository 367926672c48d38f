import sys

from mlops_iac.app.entry import run

sys.exit(run())
