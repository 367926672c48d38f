"""The TypeScript baseline's input: an mlops-iac synth output rewritten as typed L1 props.

For every resource and data source of every stack: the class of the pinned provider package that
a hand-written cdktf TypeScript app would instantiate (`Job` from
`@cdktf/provider-databricks/lib/job`) and its props in that class's own camelCase shape, so the
app's `new Job(scope, id, props)` synthesizes the same body. The shapes come from the packages'
jsii assemblies (`.jsii`: every struct's property names and types, with the Terraform name in the
docs), read once per benchmark, untimed: in a hand-written app the props are source literals.
"""
from __future__ import annotations

import json
import keyword
import re
from dataclasses import dataclass, field
from pathlib import Path

PACKAGES = {"azurerm": "@cdktf/provider-azurerm", "databricks": "@cdktf/provider-databricks"}
STACK_FILE = "cdk.tf.json"
TF_CLASS = re.compile(r"docs/(resources|data-sources)/\S+ (\w+)\} (Resource|Data Source)")
TF_PROVIDER = re.compile(r"/docs (\w+)\} Resource")
TF_ATTRIBUTE = re.compile(r"#(\w+) \w+#")
TF_BLOCK = re.compile(r"^(\w+) block\.")
LIFECYCLE_KEYS = {"prevent_destroy": "preventDestroy", "create_before_destroy": "createBeforeDestroy",
                  "ignore_changes": "ignoreChanges", "replace_triggered_by": "replaceTriggeredBy"}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


@dataclass
class Assembly:
    """What the conversion needs from one provider package's jsii assembly."""
    package: str
    python_module: str = ""
    classes: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)  # (kind, tf type) -> (module, class, config fqn)
    structs: dict[str, dict[str, tuple[str, dict]]] = field(default_factory=dict)  # fqn -> tf name -> (prop, type)
    class_fqns: dict[tuple[str, str], str] = field(default_factory=dict)  # (module, class) -> fqn

    @classmethod
    def read(cls, node_modules: Path, package: str) -> "Assembly":
        spec_file = json.loads((node_modules / package / ".jsii").read_text())
        types = spec_file["types"]
        assembly = cls(package, spec_file["targets"]["python"]["module"])
        for fqn, spec in types.items():
            if spec.get("kind") == "class" and "initializer" in spec:
                assembly._add_class(fqn, spec)
            elif spec.get("datatype"):
                assembly.structs[fqn] = {
                    _tf_name(prop): (prop["name"], prop["type"]) for prop in spec.get("properties", [])}
        return assembly

    def python_class(self, fqn: str) -> tuple[str, str]:
        """(module, class) of a type in the package's Python binding: a.job.JobTask -> a_py.job, JobTask."""
        _, submodule, name = fqn.rsplit(".", 2)
        return f"{self.python_module}.{snake(submodule)}", name

    def _add_class(self, fqn: str, spec: dict) -> None:
        initializer = spec["initializer"]
        summary = initializer.get("docs", {}).get("summary", "")
        config = next((p["type"].get("fqn") for p in initializer.get("parameters", []) if p["name"] == "config"), None)
        folder = spec["locationInModule"]["filename"].split("/")[1]  # src/<folder>/index.ts
        module = f"{self.package}/lib/{folder}"
        self.class_fqns[(module, spec["name"])] = fqn
        if match := TF_CLASS.search(summary):
            kind = "resource" if match.group(1) == "resources" else "data"
            self.classes[(kind, match.group(2))] = (module, spec["name"], config)
        elif match := TF_PROVIDER.search(summary):
            self.classes[("provider", match.group(1))] = (module, spec["name"], config)


def _tf_name(prop: dict) -> str:
    docs = prop.get("docs", {})
    for text in (docs.get("summary", ""), docs.get("remarks", "")):
        if match := TF_ATTRIBUTE.search(text) or TF_BLOCK.match(text):
            return match.group(1)
    return snake(prop["name"])


def python_name(prop: str) -> str:
    """The keyword argument of a jsii property in the Python binding (jsii's own naming)."""
    name = snake(prop)
    return f"{name}_" if keyword.iskeyword(name) else name


class Converter:
    """Terraform JSON (snake_case, blocks as lists) -> props of the typed classes: camelCase props
    for TypeScript; with ``python``, keyword arguments, nested structs marked
    ``{"$struct": "module:Class", "props": {...}}`` for the plain cdktf Python baseline."""

    def __init__(self, node_modules: Path, python: bool = False, assemblies: dict | None = None) -> None:
        self._node_modules = node_modules
        self.python = python
        self._assemblies: dict[str, Assembly] = assemblies if assemblies is not None else {}  # may be shared
        self.unmapped: list[str] = []  # keys the typed props have no place for (would be lost)

    def assembly(self, provider: str) -> Assembly:
        if provider not in self._assemblies:
            self._assemblies[provider] = Assembly.read(self._node_modules, PACKAGES[provider])
        return self._assemblies[provider]

    def class_of(self, kind: str, tf_type: str) -> tuple[Assembly, tuple[str, str, str]]:
        provider = tf_type if kind == "provider" else tf_type.split("_", 1)[0]
        assembly = self.assembly(provider)
        return assembly, assembly.classes[(kind, tf_type)]

    def props(self, assembly: Assembly, fqn: str, body: dict, where: str) -> dict:
        struct = assembly.structs[fqn]
        out = {}
        for key, value in body.items():
            if key == "//":
                continue
            if key not in struct:
                self.unmapped.append(f"{where}.{key}")
                continue
            name, type_ref = struct[key]
            out[python_name(name) if self.python else name] = self.value(assembly, type_ref, value, f"{where}.{key}")
        return out

    def value(self, assembly: Assembly, type_ref: dict, value, where: str):
        if "union" in type_ref:
            members = [t for t in type_ref["union"]["types"] if t.get("fqn") != "cdktf.IResolvable"]
            wanted = "array" if isinstance(value, list) else None
            chosen = next((t for t in members if t.get("collection", {}).get("kind") == wanted), members[0])
            return self.value(assembly, chosen, value, where)
        if "collection" in type_ref:
            element = type_ref["collection"]["elementtype"]
            if type_ref["collection"]["kind"] == "map" and isinstance(value, dict):
                return {k: self.value(assembly, element, v, f"{where}.{k}") for k, v in value.items()}
            if isinstance(value, list):
                return [self.value(assembly, element, v, f"{where}[{i}]") for i, v in enumerate(value)]
            return self._token(value, "list" if type_ref["collection"]["kind"] == "array" else "map")
        fqn = type_ref.get("fqn")
        if fqn in assembly.structs:
            if isinstance(value, list) and len(value) == 1:
                value = value[0]  # a block of at most one item: the typed prop is the item itself
            if isinstance(value, dict):
                props = self.props(assembly, fqn, value, where)
                if self.python:
                    return {"$struct": ":".join(assembly.python_class(fqn)), "props": props}
                return props
        if type_ref.get("primitive") in ("number", "boolean"):
            return self._token(value, type_ref["primitive"])
        return value  # primitives, json, tokens ("${...}") pass through as they are

    def _token(self, value, kind: str):
        """A reference ("${...}") where the typed prop wants a number, boolean, list or map: fine
        for TypeScript, which does not check types at run time; the Python binding does, so there
        it becomes what a hand-written app writes, `Token.as_number(job.id)` and the like."""
        if self.python and isinstance(value, str):
            return {"$token": kind, "value": value}
        return value


def _meta(body: dict, where: str, converter: Converter) -> tuple[dict, list[str] | None]:
    """cdktf meta arguments of a resource body: lifecycle as props, depends_on as strings."""
    props: dict = {}
    if "lifecycle" in body:
        lifecycle = {LIFECYCLE_KEYS.get(k, k): v for k, v in body["lifecycle"].items()}
        props["lifecycle"] = lifecycle
        if converter.python:
            props["lifecycle"] = {"$struct": "cdktf:TerraformResourceLifecycle",
                                  "props": {python_name(k): v for k, v in lifecycle.items()}}
    for key in ("count", "for_each", "provider", "provisioner", "connection"):
        if key in body:
            converter.unmapped.append(f"{where}.{key}")
    return props, body.get("depends_on")


META = ("lifecycle", "depends_on", "count", "for_each", "provider", "provisioner", "connection")


def _class_ref(converter: Converter, assembly: Assembly, module: str, class_name: str) -> dict:
    if converter.python:
        module, class_name = assembly.python_class(assembly.class_fqns[(module, class_name)])
    return {"module": module, "className": class_name}


def _blocks(converter: Converter, stack_id: str, section: dict, kind: str) -> list[dict]:
    specs = []
    for tf_type, named in section.items():
        if kind == "data" and tf_type == "terraform_remote_state":
            continue
        assembly, (module, class_name, config) = converter.class_of(kind, tf_type)
        for name, body in named.items():
            where = f"{stack_id}.{'data.' if kind == 'data' else ''}{tf_type}.{name}"
            path = body["//"]["metadata"]["path"].split("/")[1:]  # below the stack
            props = converter.props(assembly, config, {k: v for k, v in body.items() if k not in META}, where)
            meta, depends_on = _meta(body, where, converter)
            spec = {**_class_ref(converter, assembly, module, class_name), "path": path, "props": {**props, **meta}}
            if depends_on:
                spec["dependsOn"] = depends_on
            specs.append(spec)
    return specs


def stack_spec(converter: Converter, stack_id: str, stack: dict, depends_on: list[str]) -> dict:
    providers = []
    for provider_name, configs in stack.get("provider", {}).items():
        assembly, (module, class_name, config) = converter.class_of("provider", provider_name)
        for body in configs:
            props = converter.props(assembly, config, body, f"{stack_id}.provider.{provider_name}")
            providers.append({**_class_ref(converter, assembly, module, class_name), "props": props})
    backend = None
    for backend_type, config in stack.get("terraform", {}).get("backend", {}).items():
        backend = {"type": backend_type, "config": config}
    remote_states = [
        {"id": name, "backend": body["backend"],
         "config": {**body.get("config", {}), **{k: v for k, v in body.items() if k in ("workspace", "defaults")}}}
        for name, body in stack.get("data", {}).get("terraform_remote_state", {}).items()]
    outputs = [{"id": name, "value": body["value"], "sensitive": body.get("sensitive")}
               for name, body in stack.get("output", {}).items()]
    resources = _blocks(converter, stack_id, stack.get("data", {}), "data")
    resources += _blocks(converter, stack_id, stack.get("resource", {}), "resource")
    return {"id": stack_id, "dependsOn": depends_on, "providers": providers, "backend": backend,
            "remoteStates": remote_states, "outputs": outputs, "resources": resources}


def read_synth(outdir: Path) -> dict[str, dict]:
    """Stack id -> synthesized Terraform JSON, in the manifest's order."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    return {stack_id: json.loads((outdir / entry["synthesizedStackPath"]).read_text())
            for stack_id, entry in manifest["stacks"].items()}


def estate_input(converter: Converter, outdir: Path) -> dict:
    """The baseline's estate.json for one synth output directory of mlops-iac."""
    manifest = json.loads((outdir / "manifest.json").read_text())
    stacks = read_synth(outdir)
    return {"stacks": [stack_spec(converter, stack_id, stack, manifest["stacks"][stack_id].get("dependencies", []))
                       for stack_id, stack in stacks.items()]}


def resource_counts(stacks: dict[str, dict]) -> dict[str, int]:
    """Stack id -> number of resources plus data sources (remote state included)."""
    return {stack_id: sum(len(named) for section in ("resource", "data") for named in stack.get(section, {}).values())
            for stack_id, stack in stacks.items()}


def input_counts(estate: dict) -> dict[str, int]:
    """The same count for an estate.json: what the baseline will create."""
    return {spec["id"]: len(spec["resources"]) + len(spec["remoteStates"]) for spec in estate["stacks"]}


def _normalized(value):
    if isinstance(value, dict):
        return {k: _normalized(v) for k, v in value.items() if k != "//"}
    if isinstance(value, list):
        if len(value) == 1 and isinstance(value[0], dict):
            return _normalized(value[0])  # one block, written as a list or as an object
        return [_normalized(v) for v in value]
    return value


def identical_bodies(ours: dict[str, dict], theirs: dict[str, dict]) -> tuple[int, int, list[str]]:
    """How many resource bodies are equal (blocks of one item compared as the item); the
    addresses of the first differing ones."""
    same, total, differing = 0, 0, []
    for stack_id, stack in ours.items():
        for section in ("resource", "data"):
            for tf_type, named in stack.get(section, {}).items():
                for name, body in named.items():
                    total += 1
                    other = theirs.get(stack_id, {}).get(section, {}).get(tf_type, {}).get(name)
                    if other is not None and _normalized(body) == _normalized(other):
                        same += 1
                    elif len(differing) < 10:
                        differing.append(f"{stack_id}: {section}.{tf_type}.{name}")
    return same, total, differing
