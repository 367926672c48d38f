"""Environment configuration: YAML with locations -> merged -> validated -> typed model.

Never imports cdktf: the construct library and stacks consume the typed model only.
"""
from .diagnostics import ConfigError, Diagnostic
from .model import EnvironmentConfig
from .pipeline import LoadedEnvironment, load_environments

__all__ = ["ConfigError", "Diagnostic", "EnvironmentConfig", "LoadedEnvironment", "load_environments"]
