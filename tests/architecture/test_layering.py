"""The shape of the package: layers hold (and would catch a violation), no import cycles,
domain code never reads the request, modules stay small, comments speak of the repository only."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import grimp
import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "miti_training"
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")

#: Packages and modules below the web layer: they are called with plain values, never with
#: the request, so they work the same from a view, the CLI, a worker or a test.
DOMAIN_AND_CORE = (
    "accounts",
    "attendance",
    "network",
    "programmes",
    "registrations",
    "mail",
    "audit.py",
    "errors.py",
    "formatting",
    "slugs.py",
    "spreadsheets.py",
    "text_search",
    "timezones.py",
    "urls.py",
)
REQUEST_NAMES = {"flask": {"request", "session", "flash", "g"}, "flask_login": {"current_user"}}

#: Modules that are data, not logic, may be longer.
DATA_MODULES = {"cli/demo_data.py"}
MAX_LINES = 400


def _lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 (our own lint-imports, fixed arguments)
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        env={"PYTHONPATH": str(cwd), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _python_files(*parts: str) -> list[Path]:
    files = []
    for part in parts:
        path = PACKAGE / part
        files += sorted(path.rglob("*.py")) if path.is_dir() else [path]
    return files


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory) -> Path:
    """The package and its contracts copied apart, so a test can break a copy on purpose."""
    target = tmp_path_factory.mktemp("layering")
    shutil.copytree(PACKAGE, target / "miti_training", ignore=shutil.ignore_patterns("*.mo"))
    shutil.copy(ROOT / "pyproject.toml", target / "pyproject.toml")
    return target


def test_the_contracts_hold_and_catch_an_upward_import(package_copy):
    kept = _lint_imports(package_copy)
    assert kept.returncode == 0, kept.stdout + kept.stderr
    assert "0 broken" in kept.stdout

    models = package_copy / "miti_training" / "models" / "common.py"
    models.write_text(models.read_text() + "\nfrom miti_training.web import templating  # noqa\n")
    broken = _lint_imports(package_copy)
    assert broken.returncode == 1, broken.stdout
    assert "miti_training.models is not allowed to import miti_training.web" in broken.stdout


def test_no_module_takes_part_in_an_import_cycle():
    graph = grimp.build_graph("miti_training")
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    cycles: list[list[str]] = []

    def visit(module: str) -> None:  # Tarjan's strongly connected components
        index[module] = low[module] = len(index)
        stack.append(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while component[-1:] != [module]:
                component.append(stack.pop())
            if len(component) > 1:
                cycles.append(sorted(component))

    for module in sorted(graph.modules):
        if module not in index:
            visit(module)
    assert cycles == []


def test_domain_and_core_code_never_reads_the_request():
    offenders = []
    for path in _python_files(*DOMAIN_AND_CORE):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module in REQUEST_NAMES:
                names = {alias.name for alias in node.names} & REQUEST_NAMES[node.module]
                offenders += [f"{path.relative_to(PACKAGE)}: {name}" for name in sorted(names)]
    assert offenders == []


def test_modules_stay_small():
    long = {}
    for path in PACKAGE.rglob("*.py"):
        name = path.relative_to(PACKAGE).as_posix()
        lines = len(path.read_text().splitlines())
        if lines > MAX_LINES and name not in DATA_MODULES:
            long[name] = lines
    assert long == {}


#: An issue number, a file of another repository, a note left for later.
OUTSIDE = re.compile(
    r"\((?i:issue|ticket)s? #?\d+\)|\b(?i:issue|ticket) #\d+|SECURITY\.md|DESIGN\.md|shared/|\bTODO\b"
)


def test_comments_refer_to_the_repository_only():
    found = []
    for folder in ("miti_training", "tests", "templates", "bench"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix not in {".py", ".html", ".txt", ".js", ".css"}:
                continue
            for number, line in enumerate(path.read_text().splitlines(), start=1):
                if OUTSIDE.search(line) and path != Path(__file__):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert found == []
