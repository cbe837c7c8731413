"""What the engine may consult: data and pure functions, passed in by the host."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from flows.catalogue import Catalogue
from flows.definition import Flow


@dataclass(frozen=True)
class Environment:
    catalogue: Catalogue
    flows: Mapping[str, Flow]
    params: Mapping[str, str] = field(default_factory=dict)  # service, PALS details, reference
    screen: Callable[[str, str], Any] | None = None          # flows.safety.screen
    detect: Callable[..., Any] | None = None                 # flows.language.detect
    name_language: Callable[[str], str | None] | None = None  # flows.language.match_language_name
    detect_confidence: float = 0.85

    def with_params(self, **params: str) -> Environment:
        return Environment(**{**self.__dict__, "params": {**self.params, **params}})
