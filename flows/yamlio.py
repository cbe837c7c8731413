"""YAML for flows and catalogues, where `yes`, `no`, `on` and `off` are words.

PyYAML follows YAML 1.1, which reads `no` (Spanish and Italian for "no") as
False; translators must be able to write answer words without quoting them.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml


class _WordsLoader(yaml.SafeLoader):
    pass


_WordsLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_WordsLoader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"))


def load(text: str):
    return yaml.load(text, Loader=_WordsLoader)  # noqa: S506 - a SafeLoader subclass


def load_file(path: Path):
    return load(path.read_text(encoding="utf-8"))
