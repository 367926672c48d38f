"""Write an imported project folder: project.yaml and one YAML file per spec, block style."""
from __future__ import annotations

import io
from pathlib import Path

from ruamel.yaml import YAML

HEADER = "# Imported by mlops-iac from {source}; review the import report before the first synth.\n"


def dump(value: dict) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.sort_base_mapping_type_on_output = False  # keep the bundle's key order
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    out = io.StringIO()
    yaml.dump(value, out)
    return out.getvalue()


def write_project(folder: Path, config: dict | None, specs: dict[str, dict], source: str) -> list[Path]:
    """Write the files; never overwrites an existing spec or project.yaml."""
    written = []
    files = ({"project.yaml": config} if config is not None else {}) | specs
    for rel, value in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(HEADER.format(source=source) + dump(value), encoding="utf-8")
        written.append(path)
    return written
