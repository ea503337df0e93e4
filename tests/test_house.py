"""The house rules of issue 13, checked on the source so that they stay true: every app has the
same layout, no module grows past 600 lines, nothing registers at import time, and each shared
rule lives in one place (a copy coming back fails here, naming the file)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
APPS = ("compact", "plans", "partnerships", "representatives", "disputes")
LAYOUT = ("models", "services", "selectors", "permissions", "forms", "views", "urls")
MAX_LINES = 600
# Layer names are packages once they grow, never suffixes; "wiring" and "ops" were jargon.
SUFFIXED = re.compile(r"^(views|selectors|services|forms|urls|models|wiring)_\w+$|^wiring$|_ops$")


def _modules(app: str) -> list[Path]:
    return [
        path
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts and "management" not in path.parts
    ]


def _relative(path: Path) -> str:
    return str(path.relative_to(ROOT))


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_the_same_layout(app: str) -> None:
    folder = ROOT / app
    missing = [
        name
        for name in (*LAYOUT, "registrations")
        if not (folder / f"{name}.py").exists() and not (folder / name / "__init__.py").exists()
    ]
    assert not missing, f"{app} lacks {missing} (see docs/architecture.md)"
    assert (ROOT / "templates" / app).is_dir(), f"templates/{app}/ is missing"


@pytest.mark.parametrize("app", APPS)
def test_no_layer_module_is_a_suffix_or_jargon(app: str) -> None:
    offenders = [_relative(path) for path in _modules(app) if SUFFIXED.search(path.stem)]
    assert not offenders, f"make these packages of the layer's name instead: {offenders}"


def test_no_module_passes_600_lines() -> None:
    too_long = {
        _relative(path): length
        for app in APPS
        for path in _modules(app)
        if (length := len(path.read_text().splitlines())) > MAX_LINES
    }
    assert not too_long, f"split these into a package of the same name: {too_long}"


REGISTERING_CALLS = {"register", "add_perm", "set_perm", "add_rule", "connect"}


def _top_level_registrations(tree: ast.Module) -> list[int]:
    """Lines of calls at module level (outside functions and classes) that register something."""
    lines = []
    for node in tree.body:
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Call):
            func = node.value.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name in REGISTERING_CALLS or name.startswith("register_"):
                lines.append(node.lineno)
        decorators = getattr(node, "decorator_list", [])
        for decorator in decorators:
            target = decorator.func if isinstance(decorator, ast.Call) else decorator
            name = target.attr if isinstance(target, ast.Attribute) else getattr(target, "id", "")
            if name in {"register", "receiver"}:
                lines.append(node.lineno)
    return lines


def test_nothing_registers_at_import_time() -> None:
    offenders = [
        f"{_relative(path)}:{line}"
        for app in APPS
        for path in _modules(app)
        if path.name != "admin.py"  # the admin's own @admin.register is Django's convention
        for line in _top_level_registrations(ast.parse(path.read_text()))
    ]
    assert not offenders, f"register from registrations.register() instead: {offenders}"


@pytest.mark.parametrize("app", APPS)
def test_ready_calls_the_apps_one_register_function(app: str) -> None:
    registrations = ast.parse(_source(app, "registrations"))
    functions = {node.name for node in registrations.body if isinstance(node, ast.FunctionDef)}
    assert "register" in functions
    assert "registrations.register()" in (ROOT / app / "apps.py").read_text()


def _source(app: str, name: str) -> str:
    module = ROOT / app / f"{name}.py"
    return (module if module.exists() else ROOT / app / name / "__init__.py").read_text()


# --- Each shared rule once ------------------------------------------------------------------

ONE_PLACE = {
    # what a copy looks like -> the one module allowed to have it
    r"\._history_user\s*=|\._change_reason\s*=": "compact/platform/history.py",
    r"\b\w+ if \w+ in \w+\.fields else None": "compact/platform/forms.py",
    r"^def is_(plan_|disputes_)?officer\b": "compact/platform/access.py",
    r"^def person_of\b": "compact/selectors/__init__.py",
    r"^def check_version\b|\.version\s*!=\s*\w*expected|history_id.*\n?.*!= seen": (
        "compact/platform/locking.py"
    ),
    r"^def rate_allows\b": "compact/platform/throttle.py",
    r"^def client_address\b": "compact/platform/throttle.py",
    r"^def check_upload\b": "compact/platform/uploads.py",
    r"^def page_number_overlay\b": "compact/platform/pdf/merge.py",
    r'"partnership-working-code"': "compact/models/codes.py",
    r'"third-sector-representatives-code-of-conduct"': "compact/models/codes.py",
}


@pytest.mark.parametrize("pattern", ONE_PLACE)
def test_each_shared_rule_is_written_once(pattern: str) -> None:
    home = ONE_PLACE[pattern]
    found = sorted(
        _relative(path)
        for app in APPS
        for path in _modules(app)
        if re.search(pattern, path.read_text(), flags=re.M)
    )
    assert found == [home], f"{pattern!r} belongs in {home} only; found in {found}"


# The platform's own records (role changes, rate counts, language choices) are models, which
# Django keeps in the app's models package; nothing else below the platform is domain.
PLATFORM_MAY_IMPORT = (
    "compact.platform",
    "compact.models.roles",
    "compact.models.throttle",
    "compact.models.audit",
    "compact.models.api_tokens",
    "compact.models.notifications",
)


def test_the_platform_imports_no_domain_module() -> None:
    offenders = []
    for path in (ROOT / "compact" / "platform").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                module = node.module
            elif isinstance(node, ast.Import):
                module = node.names[0].name
            else:
                continue
            ours = module.split(".")[0] in APPS
            if ours and not module.startswith(PLATFORM_MAY_IMPORT):
                offenders.append(f"{_relative(path)}:{node.lineno} {module}")
    assert not offenders, f"the platform must not import the domain: {offenders}"


def test_one_query_count_helper_and_one_make_plan() -> None:
    tests = ROOT / "tests"
    capture = sorted(
        _relative(path)
        for path in tests.rglob("*.py")
        if "CaptureQueriesContext(" in path.read_text() and path.name != "test_house.py"
    )
    assert capture == ["tests/queries.py"], f"count queries with tests.queries: {capture}"
    plans = sorted(
        _relative(path)
        for path in tests.rglob("*.py")
        if re.search(r"^def make_plan\b", path.read_text(), flags=re.M)
    )
    assert plans == ["tests/plans/factories.py"], plans


PLAN_FACTORIES = "tests/plans/factories.py"
# A plan item made by hand skips the service: no version, no due date, no history user.
PLAN_BUILDERS = re.compile(r"^[ \t]*def make_(plan|objective|task|row)\b", flags=re.M)
PLAN_ROWS_BY_HAND = re.compile(r"\b(ImplementationPlan|Outcome)\.objects\.(bulk_)?create\(")


def test_plan_data_comes_from_the_plan_factories_only() -> None:
    """One make_plan: no test module builds its own plan builder or makes plans or plan rows
    with ``ImplementationPlan/Outcome.objects.create`` (use ``tests.plans.factories``:
    ``make_plan``, ``make_row``, ``OutcomeFactory``, which go through the services; benchmarks
    use ``make_large_plan``)."""
    offenders = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if _relative(path) in (PLAN_FACTORIES, "tests/test_house.py"):
            continue
        text = path.read_text()
        for pattern in (PLAN_BUILDERS, PLAN_ROWS_BY_HAND):
            for found in pattern.finditer(text):
                line = text.count("\n", 0, found.start()) + 1
                offenders.append(f"{_relative(path)}:{line} {found.group().strip()}")
    assert not offenders, f"build plan data with tests/plans/factories.py: {offenders}"


@pytest.mark.parametrize("app", APPS)
def test_every_app_has_one_factories_module_of_factory_boy_factories(app: str) -> None:
    module = ROOT / "tests" / app / "factories.py"
    assert module.exists(), f"tests/{app}/factories.py is missing"
    factory = re.compile(r"^class \w+Factory\((DjangoModelFactory|\w+Factory)\):", flags=re.M)
    assert factory.search(module.read_text()), f"tests/{app}/factories.py has no factory"


def test_services_and_selectors_silence_no_type_errors() -> None:
    silenced = sorted(
        _relative(path)
        for app in APPS
        for path in _modules(app)
        if any(part.startswith(("services", "selectors")) for part in path.relative_to(ROOT).parts)
        and "type: ignore" in path.read_text()
    )
    assert not silenced, f"type the code instead of silencing the checker: {silenced}"


def test_one_list_of_code_of_conduct_versions() -> None:
    """The wording representatives sign is the codes register's version, not a copy of it."""
    from compact.models import CodeDocumentVersion
    from representatives.models import CodeOfConductVersion

    own = {field.name for field in CodeOfConductVersion._meta.concrete_fields}
    copied = own & {"code", "label", "version", "text", "date", "file"}
    assert not copied, f"CodeOfConductVersion copies the register's {sorted(copied)}"
    link = CodeOfConductVersion._meta.get_field("document")
    assert link.one_to_one and link.related_model is CodeDocumentVersion
