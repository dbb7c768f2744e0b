"""``api`` is below ``risk``: it reports through ``api.signals`` and never imports ``risk``."""
from nexus.testing.imports import ROOT, imported_modules, source_files


def risk_imports_in_api():
    found = []
    for relative, module in source_files().items():
        if not relative.startswith("api/"):
            continue
        source = (ROOT / relative).read_text()
        for name in imported_modules(source, module, relative.endswith("__init__.py")):
            if name == "risk" or name.startswith("risk."):
                found.append(f"{relative}: {name}")
    return found


def test_api_does_not_import_risk():
    assert risk_imports_in_api() == []


def test_the_check_sees_function_level_and_relative_imports():
    source = "def f():\n    from risk.models import Incident\n    import risk.geo\nfrom . import signals\n"
    assert set(imported_modules(source, "api.services.login")) == {
        "risk.models", "risk.models.Incident", "risk.geo", "api.services", "api.services.signals",
    }
