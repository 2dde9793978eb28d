"""A plain `pip install .` ships the code, the rules table and the report templates."""

import subprocess
import sys
import zipfile

from conftest import REPO


def test_wheel_contains_every_module_and_the_data(tmp_path):
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "-q", "-w", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    modules = {f"impact/{p.relative_to(REPO / 'impact').as_posix()}" for p in (REPO / "impact").rglob("*.py")}
    assert modules <= names, sorted(modules - names)
    rules = {p.relative_to(REPO / "rules").as_posix() for p in (REPO / "rules").rglob("*.json")}
    assert {f"impact/rules_data/{r}" for r in rules} <= names
    reports = {p.name for p in (REPO / "reports").iterdir() if p.suffix in (".j2", ".css", ".js")}
    assert reports and {f"impact/report_templates/{r}" for r in reports} <= names
    compiled = {p.relative_to(REPO / "reports").as_posix() for p in (REPO / "reports" / "compiled").rglob("*")
                if p.suffix in (".py", ".json")}
    assert compiled and {f"impact/report_templates/{c}" for c in compiled} <= names
