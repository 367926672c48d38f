"""Extract the block schemas the spec validator needs from `terraform providers schema -json`.

Usage: python -m mlops_iac.provider_facts.extract_schema PROVIDER_SCHEMA.json
Writes mlops_iac/provider_facts/databricks_schema.json: for each resource in RESOURCES, its attributes
(type, required, deprecated, computed-only) and nested blocks (nesting mode, max items),
without descriptions. Regenerate it when the pinned provider changes.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

RESOURCES = ("databricks_job", "databricks_pipeline")
OUTPUT = Path(__file__).with_name("databricks_schema.json")


def compact_block(block: dict) -> dict:
    attributes = {}
    for name, attr in sorted(block.get("attributes", {}).items()):
        attributes[name] = {
            "type": attr["type"],
            **({"required": True} if attr.get("required") else {}),
            **({"deprecated": True} if attr.get("deprecated") else {}),
            **({"computed_only": True} if attr.get("computed") and not attr.get("optional")
               and not attr.get("required") else {}),
        }
    blocks = {}
    for name, nested in sorted(block.get("block_types", {}).items()):
        blocks[name] = {
            "nesting": nested["nesting_mode"],
            **({"max_items": nested["max_items"]} if nested.get("max_items") else {}),
            **({"deprecated": True} if nested["block"].get("deprecated") else {}),
            "block": compact_block(nested["block"]),
        }
    return {"attributes": attributes, "blocks": blocks}


def main(argv: list[str]) -> int:
    schema = json.loads(Path(argv[1]).read_text())
    provider = next(iter(schema["provider_schemas"].values()))
    out = {name: compact_block(provider["resource_schemas"][name]["block"]) for name in RESOURCES}
    OUTPUT.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"wrote {OUTPUT} ({OUTPUT.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
