"""The project's import graph, read with ``ast`` from the source (nothing is imported)."""
import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("api", "business", "nexus", "risk")
# Temporary (issue 15): the money pipeline is being rewritten on another branch and still
# imports risk directly and hides its cycles in function-level imports; these files leave
# the list when that work is merged and finished.
MONEY_PIPELINE_FILES = {
    "api/events.py",
    "api/tasks.py",
    "api/signals.py",
    "api/receivers.py",
    "api/notify.py",
    "api/services/transfers.py",
    "api/services/bills.py",
    "api/services/deposits.py",
    "api/services/reversals.py",
    "api/services/ledger.py",
    "api/models/ledger.py",
    "business/receivers.py",
    "risk/receivers.py",
    "risk/rules/transactions.py",
}
MONEY_PIPELINE_FOLDERS = ("business/metrics/",)


def is_money_pipeline(relative):
    return relative in MONEY_PIPELINE_FILES or relative.startswith(MONEY_PIPELINE_FOLDERS)


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


def import_graph(skip=is_money_pipeline):
    """``{module: modules of the project it imports}``, without the files ``skip`` names."""
    files = source_files()
    modules = set(files.values())
    graph = {}
    for relative, module in files.items():
        if skip(relative):
            continue
        source = (ROOT / relative).read_text()
        names = imported_modules(source, module, relative.endswith("__init__.py"))
        graph[module] = {name for name in names if name in modules and name != module}
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
