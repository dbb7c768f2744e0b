"""No import cycles between the project's modules, hidden in function-level imports or not (issue 15)."""
from nexus.testing.imports import cycles, import_graph


def test_the_project_has_no_import_cycles():
    assert cycles(import_graph()) == []


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]



def test_a_submodule_taking_a_name_from_its_own_loading_package_is_a_cycle():
    """``api/models/__init__`` imports ``pipeline``; ``pipeline`` importing ``Account`` from ``api.models`` needs
    the package to have defined it already: an ordering accident, reported. From ``.accounts`` it is not."""
    package = "from .accounts import Account\nfrom .pipeline import execute\n"
    sources = {
        "api.models": (package, True),
        "api.models.accounts": ("", False),
        "api.models.pipeline": ("from api.models import Account\n", False),
    }
    assert cycles(import_graph(sources)) == [["api.models", "api.models.pipeline"]]

    sources["api.models.pipeline"] = ("from .accounts import Account\nfrom . import accounts\n", False)
    assert cycles(import_graph(sources)) == []
