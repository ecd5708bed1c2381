"""Imports say what a module needs, at its top: none hides inside a function (an import there hid the cycles of
issue 17 from import-linter's view of the layers), except where Django's loading order requires it, which a
comment naming Django says on the import's line or the line above. And a service that queues its own domain's
actor by name names one the broker knows."""

import ast
import importlib
import io
import tokenize
from pathlib import Path

import dramatiq
from dramatiq.errors import ActorNotFound

ROOT = Path(__file__).resolve().parents[1]
PRODUCT = ("shop", "cms", "oscar_forks")
# Queue an actor by its name through the outbox: the function, and where its name argument goes.
BY_NAME = {"outbox_enqueue_by_name": ("actor_name", None)}


def product_files() -> list[Path]:
    return sorted(
        path for package in PRODUCT for path in (ROOT / package).rglob("*.py") if "migrations" not in path.parts
    )


def comments_by_line(source: str) -> dict[int, str]:
    """Real comments only (tokens), never a '#' inside a string."""
    tokens = tokenize.generate_tokens(io.StringIO(source).readline)
    return {token.start[0]: token.string for token in tokens if token.type == tokenize.COMMENT}


def imports_in_functions(path: Path, source: str) -> list[str]:
    """file:line of each import inside a function without a comment naming Django beside or above it."""
    comments = comments_by_line(source)
    found = []
    for function in ast.walk(ast.parse(source, filename=str(path))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for node in ast.walk(function):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            near = range(node.lineno - 1, (node.end_lineno or node.lineno) + 1)
            if not any("Django" in comments.get(line, "") for line in near):
                found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    return sorted(set(found))


def test_no_import_inside_a_function_unless_django_requires_it():
    lazy = [hit for path in product_files() for hit in imports_in_functions(path, path.read_text())]
    assert not lazy, (
        "Imports inside functions (move them to the module's top; a constant to constants.py; a call to a task "
        "through the outbox by name; or, if Django's loading order requires it, say so in a comment naming "
        "Django on the line above):\n" + "\n".join(lazy)
    )


def test_the_check_finds_an_import_inside_a_function():
    lazy = "def ready(self):\n    from . import receivers\n"
    explained = "def ready(self):\n    # Django: receivers connect once apps load\n    from . import receivers\n"
    path = ROOT / "shop" / "example.py"
    assert imports_in_functions(path, lazy) == ["shop/example.py:2"]
    assert imports_in_functions(path, explained) == []
    # A '#' in a string is no comment.
    assert imports_in_functions(path, 'def f():\n    x = "# Django"\n    import os\n') == ["shop/example.py:3"]


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_names(tree: ast.Module, path: Path) -> dict[str, tuple[str, str]]:
    """{local name: (module, name)} for the module's `from x import y` statements."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rsplit(".", 1)[0]
    names = {}
    for node in tree.body:
        if isinstance(node, ast.ImportFrom):
            source = node.module or ""
            if node.level:
                base = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                source = f"{base}.{source}" if source else base
            for alias in node.names:
                names[alias.asname or alias.name] = (source, alias.name)
    return names


def actor_names_queued_by_name() -> dict[str, str]:
    """{actor name: where it is first queued} for every by-name enqueue of the product; the name read from its
    constant, as the running code reads it."""
    queued, unresolved = {}, []
    for path in product_files():
        tree = ast.parse(path.read_text(), filename=str(path))
        module = module_name(path)
        imports = imported_names(tree, path)
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef) or function.name in BY_NAME:
                continue  # a by-name function passes its caller's name on
            for call in ast.walk(function):
                if not isinstance(call, ast.Call):
                    continue
                called = getattr(call.func, "id", None) or getattr(call.func, "attr", None)
                if called not in BY_NAME:
                    continue
                keyword, position = BY_NAME[called]
                given = next((k.value for k in call.keywords if k.arg == keyword), None)
                if given is None and position is not None and len(call.args) > position:
                    given = call.args[position]
                where = f"{path.relative_to(ROOT)}:{call.lineno}"
                if isinstance(given, ast.Name) and given.id in imports:
                    source, name = imports[given.id]
                    queued.setdefault(getattr(importlib.import_module(source), name), where)
                elif isinstance(given, ast.Name) and hasattr(importlib.import_module(module), given.id):
                    queued.setdefault(getattr(importlib.import_module(module), given.id), where)
                else:
                    unresolved.append(where)
    assert not unresolved, "Name the actor by a constant (the domain's constants.py): " + ", ".join(unresolved)
    return queued


def test_every_actor_queued_by_name_is_a_registered_actor():
    # django_dramatiq's broker, with every actor declared: shop.outbox's ready() imports each app's tasks module.
    broker = dramatiq.get_broker()
    queued = actor_names_queued_by_name()
    missing = []
    for name, where in sorted(queued.items()):
        try:
            broker.get_actor(name)
        except ActorNotFound:
            missing.append(f"{name} (queued at {where})")
    assert not missing, "No actor is declared with these names: " + ", ".join(missing)
    # The discovery itself works: the domains that queue their own actors by name are all found.
    assert {"send_email", "send_shipment_email", "reindex_product", "sync_payment"} <= set(queued)
