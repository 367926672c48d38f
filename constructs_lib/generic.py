"""Resources and providers whose attributes are a plain dict, on cdktf's own base classes.

A typed provider binding needs its jsii assembly in the Node process: loading the azurerm one (an 88
MB type system, 1,500 resource types) costs seconds and hundreds of megabytes in every synth, for
the five Azure resource types this library creates (databricks: 20 MB). ``GenericResource``
is a real ``cdktf.TerraformResource`` (a construct with an address, tokens for its attributes,
cross-stack references, ``add_override``) whose ``_synthesize_attributes`` returns the body it was
given; ``GenericDataSource`` and ``GenericProvider`` are the same for data sources and provider
blocks. ``ProviderFacts`` carries what the typed binding would have told cdktf about its provider (a
test pins it against the binding).
"""
from __future__ import annotations

import weakref
from dataclasses import dataclass
from typing import Any, Mapping

from cdktf import TerraformDataSource, TerraformProvider, TerraformProviderGeneratorMetadata, TerraformResource
from constructs import Construct


@dataclass(frozen=True)
class ProviderFacts:
    name: str  # e.g. azurerm
    source: str  # required_providers source
    version: str  # the provider version the pinned binding was generated for
    version_constraint: str

    @property
    def metadata(self) -> TerraformProviderGeneratorMetadata:
        return TerraformProviderGeneratorMetadata(provider_name=self.name, provider_version=self.version,
                                                  provider_version_constraint=self.version_constraint)


class AttributeToken:
    """What the token of a ``GenericResource`` attribute stands for, so that Python can write the
    reference itself (constructs_lib.bulk_output) where no cdktf resolution runs."""
    __slots__ = ("resource", "name", "__weakref__")

    def __init__(self, resource: "GenericResource", name: str) -> None:
        self.resource = resource
        self.name = name


# token string -> its attribute, for as long as the resource lives
ATTRIBUTE_TOKENS: "weakref.WeakValueDictionary[str, AttributeToken]" = weakref.WeakValueDictionary()


def _present(body: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in body.items() if value is not None}


class GenericResource(TerraformResource):
    def __init__(self, scope: Construct, id: str, *, provider: ProviderFacts, resource_type: str,
                 body: Mapping[str, Any]) -> None:
        super().__init__(scope, id, terraform_resource_type=resource_type,
                         terraform_generator_metadata=provider.metadata)
        self._body = _present(body)

    def _synthesize_attributes(self) -> Mapping[str, Any]:  # cdktf calls it once, at synth
        return self._body

    def attribute(self, name: str) -> str:
        """A token for one attribute (e.g. ``id``), resolved by cdktf like a typed attribute."""
        token = self.get_string_attribute(name)
        source = AttributeToken(self, name)
        self.__dict__.setdefault("_attribute_tokens", []).append(source)  # keeps the entry alive
        ATTRIBUTE_TOKENS[token] = source
        return token


class GenericDataSource(TerraformDataSource):
    def __init__(self, scope: Construct, id: str, *, provider: ProviderFacts, data_type: str,
                 body: Mapping[str, Any]) -> None:
        super().__init__(scope, id, terraform_resource_type=data_type,
                         terraform_generator_metadata=provider.metadata)
        self._body = _present(body)

    def _synthesize_attributes(self) -> Mapping[str, Any]:  # cdktf calls it once, at synth
        return self._body

    def attribute(self, name: str) -> str:
        return self.get_string_attribute(name)


class GenericProvider(TerraformProvider):
    def __init__(self, scope: Construct, id: str, *, provider: ProviderFacts, body: Mapping[str, Any]) -> None:
        super().__init__(scope, id, terraform_resource_type=provider.name,
                         terraform_generator_metadata=provider.metadata, terraform_provider_source=provider.source)
        self._body = _present(body)

    def _synthesize_attributes(self) -> Mapping[str, Any]:  # cdktf calls it once, at synth
        return self._body
