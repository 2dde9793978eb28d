"""The SAM translator is imported as far as a translation needs it
(impact/expand/samlib.py): what is left out is counted in a fresh
interpreter, and the expansion is the same either way."""

import json
import subprocess
import sys

import pytest

from conftest import REPO

from impact.expand import samlib

SAM_DIR = REPO / "tests" / "data" / "sam"

TRANSLATE = """\
import sys
from impact.expand import samlib, sam
from impact.load.loader import load_file
for name in sys.argv[1:]:
    sam.translate(load_file(name).data, None, None)
print(samlib.library().deferred, sorted(m for m in ("boto3", "jsonschema") if m in sys.modules))
"""


def python(code: str, *args, env=None) -> str:
    import os

    proc = subprocess.run([sys.executable, "-c", code, *map(str, args)], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, **(env or {})}, timeout=300)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_a_translation_imports_neither_boto3_nor_jsonschema():
    out = python(TRANSLATE, *sorted(SAM_DIR.glob("*.yaml")))
    assert out == "True []\n"
    out = python(TRANSLATE, *sorted(SAM_DIR.glob("*.yaml")), env={"IMPACT_SAM_IMPORT": "plain"})
    assert out == "False ['boto3', 'jsonschema']\n"


@pytest.mark.parametrize("name", sorted(p.name for p in SAM_DIR.glob("*.yaml")))
def test_deferred_and_ordinary_imports_expand_the_same(impact, write, name):
    old = SAM_DIR / name
    new = write(name, old.read_text().replace("python3.12", "python3.13").replace("nodejs20.x", "nodejs22.x"))
    deferred = impact("diff", old, new, "--format", "json")
    plain = impact("diff", old, new, "--format", "json", env={"IMPACT_SAM_IMPORT": "plain"})
    assert deferred.code == plain.code == 0
    assert json.loads(deferred.out)["stacks"][0]["resources"], "the fixture changed nothing"
    assert deferred.out == plain.out


def test_boto3_imported_after_the_translator_is_the_real_one():
    out = python("""\
import sys, types
from impact.expand import samlib
lib = samlib.library()
assert lib.deferred and "boto3" not in sys.modules
import boto3, botocore.client
assert type(sys.modules["boto3"]) is types.ModuleType and isinstance(boto3.session.Session, type)
from samtranslator.translator import translator
# The translator's own reference resolves to the same class, when it is used.
assert isinstance(boto3.session.Session(region_name="eu-west-1"), translator.Session)
print(type(translator.Session).__name__, isinstance(botocore.client.BaseClient, type))
""")
    assert out == "_Deferred True\n"


def test_a_deferred_name_acts_as_the_real_one():
    loads = samlib._Deferred("json", "loads")
    assert loads("[1, 2]") == [1, 2]
    error = samlib._Deferred("json", "JSONDecodeError")
    assert isinstance(json.JSONDecodeError("x", "y", 0), error) and issubclass(json.JSONDecodeError, error)
    assert error.__name__ == "JSONDecodeError"

    class Mine(samlib._Deferred("json", "JSONDecoder")):
        pass

    assert Mine().decode("{}") == {}


def test_a_name_used_while_the_translator_is_imported_falls_back_to_the_ordinary_import():
    out = python("""\
import sys
from impact.expand import samlib
ordinary = samlib._import
calls = []
def early():
    calls.append(samlib._Deferred.importing)
    if samlib._Deferred.importing:
        import boto3
        boto3.Session()  # a release that used a name while being imported
    return ordinary()
samlib._import = early
lib = samlib.library()
print(calls, lib.deferred, "boto3" in sys.modules, type(sys.modules["boto3"]).__name__)
""")
    assert out == "[True, False] False True module\n"
