"""Payments' modules import what they use at the top, and its services never import its tasks.

Imports hidden inside functions hid a cycle (services → tasks → services): the services now queue
actors by name. This keeps it that way; Django's own needs (an AppConfig.ready) are the exception.
"""

import ast
from pathlib import Path

import shop.payments

PAYMENTS = Path(shop.payments.__file__).parent
# Function-level imports Django requires, each with a comment saying why where it stands.
ALLOWED_IN_FUNCTIONS = {("apps.py", "ready")}
# The Mollie simulator is dev tooling on its way out of the app; not held to this here.
NOT_CHECKED = {"migrations", "simulator"}


def modules():
    for path in sorted(PAYMENTS.rglob("*.py")):
        relative = path.relative_to(PAYMENTS)
        if not NOT_CHECKED.intersection(relative.parts):
            yield relative, ast.parse(path.read_text())


def imported_modules(tree: ast.Module, package: str) -> set[str]:
    found = set()
    for node in tree.body:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package.split(".")[: len(package.split(".")) - node.level + 1] if node.level else []
            module = ".".join([*base, *([node.module] if node.module else [])])
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names)
    return found


def test_no_module_imports_inside_a_function_unless_django_requires_it():
    hidden = []
    for relative, tree in modules():
        for function in ast.walk(tree):
            if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                continue
            for node in ast.walk(function):
                if isinstance(node, ast.Import | ast.ImportFrom) and (relative.name, function.name) not in (
                    ALLOWED_IN_FUNCTIONS
                ):
                    hidden.append(f"{relative}:{node.lineno} in {function.name}()")
    assert hidden == []


def test_services_do_not_import_the_tasks_that_call_them():
    offending = []
    for relative, tree in modules():
        if relative.parts[0] != "services":
            continue
        package = ".".join(["shop", "payments", *relative.parts[:-1]])
        if "shop.payments.tasks" in imported_modules(tree, package):
            offending.append(str(relative))
    assert offending == []
