"""The layout of the code: who may import whom, no import circles, one convention for views.

The apps form layers, from the bottom up (ARCHITECTURE.md "Apps and what each owns"). A module
may import its own app and the apps below it, never one above it; nothing imports the
configuration package ``strategy_portal`` (settings, root URLs, Celery app, WSGI), which sits
on top of everything. Every import counts, also one inside a function: a late import is still
a dependency, and hiding a circle behind it only makes the order of reading unclear.
"""

import ast
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Bottom to top. An app may import the apps before it in this list, never those after it.
LAYERS = [
    "core",
    "municipalities",
    "fields_of_action",
    "people",
    "procedures",
    "measures",
    "evaluation",
    "drafts",
    "api",
    "pages",
    "strategy_portal",
]
CONFIGURATION = "strategy_portal"
CONFIGURATION_MODULES = {
    "strategy_portal",
    "strategy_portal.celery",
    "strategy_portal.urls",
    "strategy_portal.wsgi",
    "strategy_portal.settings",
    "strategy_portal.settings.base",
    "strategy_portal.settings.local",
    "strategy_portal.settings.production",
    "strategy_portal.settings.test",
}


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def project_modules():
    """{dotted name: path} of every Python module of every app (migrations included)."""
    modules = {}
    for app in LAYERS:
        for path in sorted((ROOT / app).rglob("*.py")):
            modules[_module_name(path)] = path
    return modules


def _package_of(name, path):
    return name if path.name == "__init__.py" else name.rpartition(".")[0]


def _resolve(target, modules):
    """The project module that importing ``target`` runs: it, or its nearest package."""
    while target and target not in modules:
        target = target.rpartition(".")[0]
    return target or None


def imports_of(name, path, modules):
    """[(imported module, line)] for every import in the file, at any depth."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = _package_of(name, path)
                for _ in range(node.level - 1):
                    base = base.rpartition(".")[0]
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module
            # "from package import module" imports the module; "from module import name" not.
            targets = [
                f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base
                for alias in node.names
            ]
        else:
            continue
        for target in targets:
            resolved = _resolve(target, modules)
            if resolved is not None and resolved != name:
                found.append((resolved, node.lineno))
    return found


def _app(module):
    return module.split(".")[0]


def import_graph():
    modules = project_modules()
    return modules, {
        name: imports_of(name, path, modules) for name, path in sorted(modules.items())
    }


def test_every_app_is_placed_in_a_layer():
    apps_on_disk = {
        path.parent.name
        for path in ROOT.glob("*/apps.py")
        if (path.parent / "__init__.py").exists()
    }
    assert apps_on_disk | {CONFIGURATION} == set(LAYERS)


def test_no_app_imports_an_app_above_it_or_the_configuration():
    _, graph = import_graph()
    rank = {app: index for index, app in enumerate(LAYERS)}
    wrong = []
    for name, imports in graph.items():
        for target, line in imports:
            source_app, target_app = _app(name), _app(target)
            if source_app == target_app:
                continue
            if rank[target_app] > rank[source_app]:
                wrong.append(f"{name}:{line} imports {target} ({target_app} is above)")
    assert wrong == []


def test_configuration_package_holds_configuration_only():
    modules = project_modules()
    inside = {name for name in modules if _app(name) == CONFIGURATION}
    assert inside == CONFIGURATION_MODULES


def _circles(graph):
    """Strongly connected components of more than one module (Tarjan)."""
    index, low, stack, on_stack, circles = {}, {}, [], set(), []
    counter = [0]

    def visit(node):
        index[node] = low[node] = counter[0]
        counter[0] += 1
        stack.append(node)
        on_stack.add(node)
        for target in graph.get(node, ()):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return circles


def test_no_import_circle_between_modules_of_one_app():
    modules, graph = import_graph()
    edges = defaultdict(set)
    for name, imports in graph.items():
        for target, _line in imports:
            if _app(target) != _app(name):
                continue
            edges[name].add(target)
            # Importing pkg.sub.mod first runs pkg.sub's __init__ (unless one is inside it).
            package = target.rpartition(".")[0]
            while package and package != _app(name):
                if package in modules and not name.startswith(package + "."):
                    edges[name].add(package)
                package = package.rpartition(".")[0]
    assert _circles(edges) == []


def test_one_convention_for_view_modules():
    """Views live in ``<app>/views.py`` or, for several page families, in ``<app>/views/``."""
    offending = [
        name
        for name in project_modules()
        if "views" in name.rpartition(".")[2] and name.rpartition(".")[2] != "views"
    ]
    assert offending == []


def _dispatched_task_names():
    """(module, line, name) of every ``dispatch.on_commit("<task name>", ...)`` in the apps."""
    found = []
    for name, path in project_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "on_commit"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "dispatch"
            ):
                first = node.args[0]
                assert isinstance(first, ast.Constant), f"{name}:{node.lineno}: name the task"
                found.append((name, node.lineno, first.value))
    return found


def test_services_queue_registered_tasks_by_their_names():
    """A service names the task it queues (core.dispatch); a typo would only show at run time."""
    from celery import current_app

    dispatched = _dispatched_task_names()
    assert len(dispatched) >= 7  # reviews, partnerships (2), synergy, render, Abstimmung, gathering
    unknown = [
        f"{m}:{line} {task}" for m, line, task in dispatched if task not in current_app.tasks
    ]
    assert unknown == []


def test_dispatch_refuses_an_unknown_task_at_once():
    from celery.exceptions import NotRegistered

    from core import dispatch

    with pytest.raises(NotRegistered):
        dispatch.on_commit("measures.no_such_task", 1)
