"""This repository's app: the estate in envs/ and projects/, synthesized by mlops-iac.

`python -m stacks COMMAND` (what cdktf.json and the Makefile run) is the `mlops-iac` command line
in this repository; `stacks/rules.py` holds the repository's own guardrail rules, which the tool
applies after its default pack.
"""
