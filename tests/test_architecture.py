"""The layout of the code: who may import whom, no import circles, one convention for views.

The apps form layers, from the bottom up (README.md, "Entwicklung"). A module
may import its own app and the apps below it, never one above it; nothing imports the
configuration package ``strategy_portal`` (settings, root URLs, Celery app, WSGI), which sits
on top of everything. Every import counts, also one inside a function: a late import is still
a dependency, and hiding a circle behind it only makes the order of reading unclear.
"""

import ast
import json
import os
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# The source read as text and one child process that only sets Django up: neither the run's
# database nor its Redis; CI runs them once.
pytestmark = pytest.mark.no_services

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
    "strategy_portal.local_wsgi",
    "strategy_portal.settings",
    "strategy_portal.settings.base",
    "strategy_portal.settings.local",
    "strategy_portal.settings.production",
    "strategy_portal.settings.test",
    "strategy_portal.settings.test_redis_down",
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
        if name.rpartition(".")[2].startswith("views_")
        or name.rpartition(".")[2].endswith("_views")
    ]
    assert offending == []


def _url_callbacks(patterns, prefix=""):
    from django.urls import URLPattern, URLResolver

    for entry in patterns:
        if isinstance(entry, URLResolver):
            yield from _url_callbacks(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


def test_every_page_of_the_portal_is_served_from_a_views_module():
    """Every URL the portal itself answers is a view of some ``<app>.views`` module."""
    from django.urls import get_resolver

    own_apps = set(LAYERS)
    misplaced = []
    for route, callback in _url_callbacks(get_resolver().url_patterns):
        module = callback.__module__
        app, _, rest = module.partition(".")
        if app in own_apps and not (rest == "views" or rest.startswith("views.")):
            misplaced.append(f"{route} -> {module}.{callback.__name__}")
    assert misplaced == []


def _dispatch_uses():
    """(module, line, task name or None) of every ``dispatch.on_commit(...)``, and the places
    that reach ``core.dispatch`` in another way (which the name check could not follow)."""
    calls, other_ways = [], []
    for name, path in project_modules().items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module == "core.dispatch":
                other_ways.append(f"{name}:{node.lineno} from core.dispatch import ...")
            elif isinstance(node, ast.ImportFrom) and node.module == "core":
                other_ways += [
                    f"{name}:{node.lineno} from core import dispatch as {alias.asname}"
                    for alias in node.names
                    if alias.name == "dispatch" and alias.asname
                ]
            elif isinstance(node, ast.Import):
                other_ways += [
                    f"{name}:{node.lineno} import {alias.name}"
                    for alias in node.names
                    if alias.name == "core.dispatch"
                ]
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "on_commit"
                and isinstance(node.func.value, ast.Name)
                and node.func.value.id == "dispatch"
            ):
                first = node.args[0] if node.args else None
                task = first.value if isinstance(first, ast.Constant) else None
                calls.append((name, node.lineno, task))
    return calls, other_ways


def test_services_name_their_tasks_plainly():
    """``from core import dispatch`` and ``dispatch.on_commit("<task name>", ...)`` only, so
    that the next test can check every name."""
    calls, other_ways = _dispatch_uses()
    assert other_ways == []
    assert [f"{module}:{line}" for module, line, task in calls if task is None] == []
    # Reviews, partnership requests and answers, synergy, the draft's render, the
    # Abstimmung, gathering.
    assert len(calls) >= 7


def test_a_fresh_process_registers_every_dispatched_task_and_loads_no_weasyprint():
    """In a process that has only set Django up (a web worker), every task a service queues
    by name is registered (each app imports its tasks in ``ready()``), and WeasyPrint is not
    loaded yet: it comes with the first PDF, not with every process."""
    names = sorted({task for _module, _line, task in _dispatch_uses()[0]})
    script = (
        "import json, sys, django; django.setup(); from celery import current_app; "
        "print(json.dumps({'registered': sorted(current_app.tasks), "
        "'weasyprint': 'weasyprint' in sys.modules}))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "strategy_portal.settings.test"}
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    found = json.loads(result.stdout.strip().splitlines()[-1])
    assert [task for task in names if task not in found["registered"]] == []
    assert found["weasyprint"] is False


def test_dispatch_refuses_an_unknown_task_at_once():
    from celery.exceptions import NotRegistered

    from core import dispatch

    with pytest.raises(NotRegistered):
        dispatch.on_commit("measures.no_such_task", 1)
