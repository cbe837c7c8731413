"""Dependencies point inwards: the engine and its data (`flows/`) know
nothing of the web, the providers or the database, so every channel and
every host can reuse them."""

from __future__ import annotations

import ast
from pathlib import Path

FLOWS = Path(__file__).resolve().parents[1] / "flows"
OUTER = {"flask", "werkzeug", "twilio", "telegram", "sqlalchemy", "alembic", "requests",
         "httpx", "redis", "rq", "deep_translator", "storage", "feedback", "bot",
         "sms_gateway", "staff"}


def imported_top_levels(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def test_flows_import_nothing_from_the_outer_layers():
    offenders = {str(path.relative_to(FLOWS)): sorted(imported_top_levels(path) & OUTER)
                 for path in sorted(FLOWS.rglob("*.py"))}
    assert {name: found for name, found in offenders.items() if found} == {}
    assert len(offenders) > 20, "the flows package was not found"
