"""No import cycles between the project's modules, hidden in function-level imports or not (issue 15)."""
from nexus.testing.imports import cycles, import_graph


def test_the_project_has_no_import_cycles():
    assert cycles(import_graph()) == []


def test_a_cycle_is_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]

