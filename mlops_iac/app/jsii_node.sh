#!/bin/sh
# jsii's Node kernel in a process group of its own (see mlops_iac/app/interrupts.py): Ctrl-C then reaches
# only the Python side, which stops the kernel cleanly at exit. setpgid via the running Python.
exec "$MLOPS_IAC_PYTHON" -I -S -c 'import os, sys; os.setpgid(0, 0); os.execvp(sys.argv[1], sys.argv[1:])' \
  "$MLOPS_IAC_NODE" "$@"
