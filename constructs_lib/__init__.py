"""Reusable CDK for Terraform constructs for MLOps platforms on Azure Databricks.

Import from the family modules (``constructs_lib.azure``, ``constructs_lib.databricks``) or from
here. Constructs take typed props and never read YAML.
"""
from . import _bindings

_bindings.prepare()  # before any binding import below: load only the submodules we use

from .azure import *  # noqa: E402,F401,F403
from .azure import __all__ as _azure_all  # noqa: E402
from .databricks import *  # noqa: E402,F401,F403
from .databricks import __all__ as _databricks_all  # noqa: E402

__all__ = sorted(_azure_all + _databricks_all)
