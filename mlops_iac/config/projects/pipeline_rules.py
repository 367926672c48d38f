"""Rules on a DLT pipeline spec (API shape, located) that the API would enforce at apply time."""
from __future__ import annotations

from typing import Iterable

from mlops_iac.provider_facts.specs import MAX_PIPELINE_TAGS, PIPELINE_CHANNELS, PIPELINE_EDITIONS

from ..diagnostics import Diagnostic, closest
from ..located import LMap, LScalar
from .job_rules import _d, _get, _items, _keyed, _text, unique_keys


def exclusive_fields(spec: LMap) -> Iterable[Diagnostic]:
    for first, second, why in (("catalog", "storage", "a Unity Catalog pipeline keeps its data in the catalog"),
                               ("schema", "target", "target is the legacy name of schema")):
        if first in spec.entries and second in spec.entries:
            yield Diagnostic(spec.entries[second].key_loc, second, f"{first} and {second} are set together",
                             f"one of them ({why})")


def serverless_needs_catalog(spec: LMap) -> Iterable[Diagnostic]:
    serverless = _get(spec, "serverless")
    if isinstance(serverless, LScalar) and serverless.value is True:
        if "catalog" not in spec.entries:
            yield _d(serverless, ("serverless",), "a serverless pipeline needs a catalog", "catalog: <Unity Catalog catalog>")
        if "clusters" in spec.entries:
            yield Diagnostic(spec.entries["clusters"].key_loc, "clusters", "a serverless pipeline takes no clusters",
                             "serverless: true without clusters")


def enums_are_valid(spec: LMap) -> Iterable[Diagnostic]:
    for field, options in (("channel", PIPELINE_CHANNELS), ("edition", PIPELINE_EDITIONS)):
        value = _text(_get(spec, field))
        if value is not None and value not in options:
            yield _d(_get(spec, field), (field,), f"'{value}' is not a pipeline {field}",
                     "one of " + ", ".join(options), closest(value, options))


def tags_within_limit(spec: LMap) -> Iterable[Diagnostic]:
    tags = _get(spec, "tags")
    if isinstance(tags, LMap) and len(tags.entries) > MAX_PIPELINE_TAGS:
        yield _d(tags, ("tags",), f"{len(tags.entries)} tags", f"at most {MAX_PIPELINE_TAGS}")


MANAGED_INGESTION = ("ingestion_definition", "gateway_definition")


def libraries_are_single(spec: LMap) -> Iterable[Diagnostic]:
    managed = [k for k in MANAGED_INGESTION if k in spec.entries]  # defined by the connector, no code
    if not _items(_get(spec, "libraries")) and not managed:
        yield _d(spec, ("libraries",), "a pipeline needs at least one library",
                 "libraries: [{notebook: {path: ...}}], or an ingestion_definition / gateway_definition")
    for i, library in enumerate(_items(_get(spec, "libraries"))):
        kinds = [k for k in ("notebook", "file", "glob", "jar", "maven", "whl") if isinstance(library, LMap) and k in library.entries]
        if len(kinds) != 1:
            yield _d(library, ("libraries", i), f"library sets {', '.join(kinds) or 'no source'}",
                     "exactly one of notebook, file, glob, jar, maven, whl")


def cluster_labels_are_unique(spec: LMap) -> Iterable[Diagnostic]:
    yield from unique_keys(_keyed(_get(spec, "clusters"), "label"), "clusters", "label")


PIPELINE_RULES = (cluster_labels_are_unique, exclusive_fields, serverless_needs_catalog, enums_are_valid, tags_within_limit, libraries_are_single)


def check_pipeline(spec: LMap) -> list[Diagnostic]:
    return [d for rule in PIPELINE_RULES for d in rule(spec)]
