"""The layout docs/architecture.md describes, kept true by reading the source.

No database: these read the app's Python files with ``ast``.
"""

import ast
import re
from pathlib import Path

import statements

APP = Path(statements.__file__).parent
# Outside migrations, only these name a database engine (docs/architecture.md, "Engines").
ENGINE_OWNERS = ("search/", "bulk/", "tallies.py")
ENGINE_WORDS = re.compile(r"\bvendor\b|\bpsycopg\b|\bPRAGMA\b|\bas_postgresql\b|\bas_sqlite\b")


def app_modules():
    """``{dotted name: path}`` of the app's modules, migrations left out."""
    modules = {}
    for path in APP.rglob("*.py"):
        relative = path.relative_to(APP.parent)
        if "migrations" in relative.parts:
            continue
        name = ".".join(relative.with_suffix("").parts).removesuffix(".__init__")
        modules[name] = path
    return modules


def imported_modules(name, path, modules):
    """The app's modules that ``name`` imports anywhere in its file, inside functions too."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                parts = parts[: len(parts) - (node.level - 1)]
                base = ".".join([*parts, *([node.module] if node.module else [])])
            targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
        else:
            continue
        found.update(target for target in targets if target in modules and target != name)
    return found


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan's algorithm)."""
    index, low, stack, on_stack, groups = {}, {}, [], set(), []

    def visit(module):
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in graph[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = set()
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.add(other)
                if other == module:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for module in graph:
        if module not in index:
            visit(module)
    return groups


def test_no_two_modules_of_the_app_import_each_other_even_inside_functions():
    modules = app_modules()
    graph = {name: imported_modules(name, path, modules) for name, path in modules.items()}
    assert cycles(graph) == []


def test_the_cycle_finder_sees_a_cycle_through_several_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_only_search_the_tallies_and_the_bulk_writer_name_a_database_engine():
    naming = [
        str(path.relative_to(APP))
        for path in app_modules().values()
        if ENGINE_WORDS.search(path.read_text())
        and not str(path.relative_to(APP)).startswith(ENGINE_OWNERS)
    ]
    assert naming == []


def test_the_api_and_the_downloads_read_statements_through_shared_modules_only():
    modules = app_modules()
    pagination = imported_modules("statements.api.pagination", APP / "api/pagination.py", modules)
    downloads = imported_modules(
        "statements.opendata.downloads", APP / "opendata/downloads.py", modules
    )
    assert "statements.views" not in pagination
    assert not {m for m in downloads if m.startswith("statements.api")}
