"""mlops-iac: YAML environments of an MLOps platform on Azure Databricks -> CDK for Terraform stacks.

Subpackages (the tool; the reusable constructs are the separate top-level package ``constructs_lib``):

- ``mlops_iac.config``: the YAML loader with locations, per-environment merge, validation, typed model.
- ``mlops_iac.provider_facts``: what the pinned providers and the Databricks API accept (schema, enums).
- ``mlops_iac.guardrails``: cdk-nag style rule packs over synthesized Terraform JSON.
- ``mlops_iac.review``: change summaries and environment diffs for infra pull requests.
- ``mlops_iac.app``: the command line and the app that turns an estate into stacks.
"""
from importlib.metadata import PackageNotFoundError, version as _version

try:
    __version__ = _version("mlops-iac")
except PackageNotFoundError:  # a source tree without an install
    __version__ = "0+unknown"
