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
    for base, names in _imports(source, module, is_package):
        yield base
        yield from (f"{base}.{name}" for name in names)


def import_graph(sources=None):
    """``{module: modules of the project it imports}``; ``sources``: ``{module: (source, is_package)}``.

    ``from package import name`` depends on ``package.name`` when that is a
    module (the package may still be loading: Python imports the submodule),
    otherwise on ``package`` itself, which must have defined ``name`` by
    then. So a submodule taking a name from its own package, whose
    ``__init__`` imports that submodule, is the cycle it is (it works only
    while the package happens to define the name first).
    """
    if sources is None:
        sources = {
            module: ((ROOT / relative).read_text(), relative.endswith("__init__.py"))
            for relative, module in source_files().items()
        }
    modules = set(sources)
    graph = {}
    for module, (source, is_package) in sources.items():
        graph[module] = {
            name for name in _dependencies(source, module, is_package, modules) if name in modules and name != module
        }
    return graph


def _dependencies(source, module, is_package, modules):
    for base, names in _imports(source, module, is_package):
        if not names:
            yield base
        for name in names:
            submodule = f"{base}.{name}"
            yield submodule if submodule in modules else base


def _imports(source, module, is_package):
    """``(module, names)`` per import in ``source``, at any depth: ``names`` empty for ``import x``."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            yield from ((alias.name, ()) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            yield base, [alias.name for alias in node.names]


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
