"""The settings stay split by area (shop/settings/components/): small files, every component gathered by base.py,
and each setting owned by one component, so no import order decides which value wins."""

import ast
import importlib
from collections import defaultdict
from pathlib import Path

import shop.settings.base as base

SETTINGS = Path(base.__file__).parent
COMPONENTS = sorted(path.stem for path in (SETTINGS / "components").glob("*.py") if path.stem != "__init__")


def _top_level_settings(path: Path) -> set[str]:
    """Public UPPERCASE names a module assigns at its top level, in either branch of an `if` too."""

    def assigned(statements):
        for node in statements:
            if isinstance(node, ast.Assign):
                yield from (target.id for target in node.targets if isinstance(target, ast.Name))
            elif isinstance(node, ast.If):
                yield from assigned(node.body + node.orelse)

    return {name for name in assigned(ast.parse(path.read_text()).body) if name.isupper() and name[0] != "_"}


def test_no_settings_file_exceeds_400_lines():
    lengths = {str(path.relative_to(SETTINGS)): len(path.read_text().splitlines()) for path in SETTINGS.rglob("*.py")}
    assert {path: length for path, length in lengths.items() if length > 400} == {}


def test_base_gathers_every_component():
    imported = {
        node.module.removeprefix("components.")
        for node in ast.parse(Path(base.__file__).read_text()).body
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module.startswith("components.")
    }
    assert COMPONENTS
    assert imported == set(COMPONENTS)


def test_each_setting_is_defined_by_one_component_only():
    owners = defaultdict(list)
    for component in COMPONENTS:
        for name in _top_level_settings(SETTINGS / "components" / f"{component}.py"):
            owners[name].append(component)
    assert {name: where for name, where in owners.items() if len(where) > 1} == {}


def test_base_holds_each_components_own_values_not_oscars_defaults():
    """oscar.defaults is star-imported too (HAYSTACK_SIGNAL_PROCESSOR, OSCAR_SEARCH_FACETS, ...): ours must win."""
    overridden = []
    for component in COMPONENTS:
        module = importlib.import_module(f"shop.settings.components.{component}")
        for name in _top_level_settings(SETTINGS / "components" / f"{component}.py"):
            if hasattr(module, name) and getattr(base, name) is not getattr(module, name):
                overridden.append(f"{component}.{name}")
    assert overridden == []
    assert base.HAYSTACK_SIGNAL_PROCESSOR == "shop.search.signals.OutboxSignalProcessor"
