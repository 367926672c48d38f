"""Reusable CDK for Terraform constructs for MLOps platforms on Azure Databricks.

Import from the family modules (``constructs_lib.azure``, ``constructs_lib.databricks``) or from
here. Constructs take typed props and never read YAML.

Importing this package is cheap: it only prepares the provider bindings (``_bindings``); the
construct families, and with them cdktf and the jsii runtime, load on first use.
"""
from __future__ import annotations

import importlib

from . import _bindings

_bindings.prepare()  # before any binding import: jsii on Node 22, only the submodules we use

_FAMILIES = ("azure", "databricks")


def __getattr__(name: str):
    for family in _FAMILIES:
        module = importlib.import_module(f"{__name__}.{family}")
        if name in module.__all__:
            return getattr(module, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(name for family in _FAMILIES
                  for name in importlib.import_module(f"{__name__}.{family}").__all__)
