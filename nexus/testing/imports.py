"""The project's import graph, read with ``ast`` from the source (nothing is imported)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "business", "nexus", "risk")
def source_files():
    """``{relative path: module name}`` of every non-test, non-migration module of the project."""
    files = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "/tests/" in relative or "/migrations/" in relative or relative.startswith("nexus/testing/"):
                continue
            module = relative.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
            files[relative] = module
    return files


def imported_modules(source, module="", is_package=False):
    """Every module name an ``import`` in ``source`` names, at any depth (relative ones resolved)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base
            yield from (f"{base}.{alias.name}" for alias in node.names)


def import_graph():
    """``{module: modules of the project it imports}``."""
    files = source_files()
    modules = set(files.values())
    graph = {}
    for relative, module in files.items():
        source = (ROOT / relative).read_text()
        names = imported_modules(source, module, relative.endswith("__init__.py"))
        # A module's own packages are loaded before it anyway (``from . import x`` names one):
        # no edge, or every package whose __init__ gathers its modules would be a cycle.
        graph[module] = {
            name for name in names if name in modules and name != module and not module.startswith(f"{name}.")
        }
    return graph


def cycles(graph):
    """The strongly connected groups of more than one module (Tarjan), each sorted."""
    index, low, stack, on_stack, found = {}, {}, [], set(), []

    def visit(node):
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for neighbour in graph.get(node, ()):
            if neighbour not in index:
                visit(neighbour)
                low[node] = min(low[node], low[neighbour])
            elif neighbour in on_stack:
                low[node] = min(low[node], index[neighbour])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in list(graph):
        if node not in index:
            visit(node)
    return found
