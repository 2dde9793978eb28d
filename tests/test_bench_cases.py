"""The benchmark's own cases and the goals it checks them against
(``bench/cases.py``, ``bench/floor.py``, ``bench/run.py``). Small sizes only:
these tests time nothing."""

import json
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from bench import run
from bench.cases import REPEATED_SID, role_pair
from bench.generate import write_pairs

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def policy_pairs(tmp_path_factory):
    """The role and managed-policy pairs with a 40 kB document, written as JSON."""
    folder = tmp_path_factory.mktemp("cases")
    written = {}
    for name, (old, new) in zip(("role", "managed"), role_pair(random.Random(14), size=40_000)):
        for side, template in (("old", old), ("new", new)):
            (folder / f"{name}-{side}.json").write_text(json.dumps(template), encoding="utf-8")
        written[name] = (old, new)
    return folder, written


def _statements(template):
    resource = next(r for r in template["Resources"].values() if r["Type"] != "AWS::IAM::Role" or "Policies" in r["Properties"])
    props = resource["Properties"]
    return (props["Policies"][0] if "Policies" in props else props)["PolicyDocument"]["Statement"]


def test_role_case_edits_one_statement_and_repeats_a_grant(policy_pairs):
    _, written = policy_pairs
    old, new = written["role"]
    before, after = _statements(old), _statements(new)
    assert len(after) == len(before) + 1
    edited = [i for i, (a, b) in enumerate(zip(before, after)) if a != b]
    assert len(edited) == 1
    assert set(after[edited[0]]["Action"]) > set(before[edited[0]]["Action"])
    added = after[-1]
    assert added["Sid"] == REPEATED_SID and REPEATED_SID not in {s["Sid"] for s in before}
    without_sid = {k: v for k, v in added.items() if k != "Sid"}
    repeated = [i for i, s in enumerate(before) if {k: v for k, v in s.items() if k != "Sid"} == without_sid]
    assert repeated and repeated[0] != edited[0]


def _impact(*args):
    proc = subprocess.run([sys.executable, "-m", "impact", *args], capture_output=True, text=True, cwd=ROOT, timeout=180)
    assert proc.returncode in (0, 1), proc.stderr
    return json.loads(proc.stdout)


@pytest.mark.parametrize("name", ["role", "managed"])
def test_only_the_edited_statement_widens_a_grant(policy_pairs, name):
    """The repeated grant adds nothing; the managed policy's role is in its template."""
    folder, written = policy_pairs
    before, after = (_statements(t) for t in written[name])
    edited = next(i for i, (a, b) in enumerate(zip(before, after)) if a != b)
    report = _impact("diff", str(folder / f"{name}-old.json"), str(folder / f"{name}-new.json"), "--format", "json")
    (stack,) = report["stacks"]
    assert [f["id"] for f in stack["findings"]] == ["permissions-broadened"]
    assert [(row["change"], row["path"].rsplit("/", 1)[-1]) for row in stack["security"]] == [("widened", str(edited))]


def test_floor_decodes_both_files_and_reports(tmp_path):
    write_pairs(tmp_path, (20,))
    for fmt in ("json", "yaml"):
        pair = [str(tmp_path / "20" / f"{side}.{fmt}") for side in ("old", "new")]
        proc = subprocess.run(run.floor_command([fmt, *pair]), capture_output=True, text=True, timeout=60)
        assert proc.returncode == 0, proc.stderr
        assert set(dict(kv.split("=") for kv in proc.stderr.split())) == {"decode_wall", "decode_cpu", "peak_kib"}
    paused = subprocess.run(run.floor_command(["--paused", "yaml", *pair]), capture_output=True, text=True, timeout=60)
    assert paused.returncode == 0 and "decode_cpu=" in paused.stderr
    broken = tmp_path / "broken.yaml"
    broken.write_text("a: [1", encoding="utf-8")
    assert subprocess.run(run.floor_command(["yaml", str(broken), str(broken)]), capture_output=True).returncode != 0
    assert subprocess.run(run.floor_command(["xml", str(broken), str(broken)]), capture_output=True).returncode == 2


def test_yaml_cases_time_the_peer_on_the_json_of_the_same_pair(tmp_path):
    cases = {name: tmp_path / name for name in ("role-policy", "managed-policy", "ipset", "security-group")}
    for directory in cases.values():
        directory.mkdir()
        for side in ("old", "new"):
            (directory / f"{side}.json").write_text("{}", encoding="utf-8")
    base = tmp_path / "base-90"
    for side in ("old", "new"):
        (base / side).mkdir(parents=True)
        (base / side / "stack000.json").write_text("{}", encoding="utf-8")
    cases["base-90"] = base
    write_pairs(tmp_path, (20,))
    found = {c["name"]: c for c in run.peer_cases(tmp_path, (20,), cases)}
    as_json, as_yaml = found[run.size_case(20, "json")], found[run.size_case(20, "yaml")]
    assert as_yaml["impact"][1].endswith("old.yaml") and as_yaml["peer"] == as_json["peer"]
    assert as_json["peer"][0].endswith("old.json") and as_yaml["peer_key"] == as_json["peer_key"]
    assert as_yaml["floor"][0] == "yaml" and as_json["floor"][0] == "json"
    assert run.ROLE_CASE in found
    assert {found[run.BASE_CASE.format(f)]["impact"][-1] for f in ("json", "md")} == {"json", "md"}


def _result(impact, peer, cpu_ratio=None, mib=50.0, floor=None):
    cpu_ratio = impact / peer if cpu_ratio is None else cpu_ratio
    r = {"size": "", "impact": impact, "peer": peer, "impact_cpu": cpu_ratio * peer, "peer_cpu": peer,
         "impact_mib": mib, "peer_mib": 200.0}
    if floor is not None:
        r["floor"] = {"decode_wall": floor, "decode_cpu": floor, "wall": floor, "cpu": floor, "mib": 20.0,
                      "paused_decode_cpu": floor / 2}
    return r


def test_goals_need_wall_and_cpu_within_each_target():
    results = {
        run.size_case(500, "json"): _result(0.16, 1.0, cpu_ratio=0.14),  # wall over 0.15x
        run.size_case(500, "yaml"): _result(0.3, 1.0, floor=0.4),  # 0.75x the floor
        run.size_case(2000, "json"): _result(0.4, 1.0, cpu_ratio=0.6),  # CPU over 0.5x
        run.size_case(5000, "yaml"): _result(0.9, 10.0, mib=120.0, floor=1.0),  # 0.9x the floor; memory
        run.ROLE_CASE: _result(0.5, 1.0),  # on the line: met
        run.BASE_CASE.format("json"): _result(0.4, 1.0),
        run.BASE_CASE.format("md"): _result(0.5, 1.0),  # 1.25x json
    }
    verdicts = {label: ok for label, _, _, _, ok in run.goals(results)}
    table = run.report_peer(results, runs=5)
    for label, ok in verdicts.items():
        assert re.search(re.escape(f"| {label} |") + r".*\| " + ("met" if ok else r"\*\*missed\*\*") + r" \|", table)
    shown = run.published(table)
    assert "| goal |" not in shown and "missed" not in shown and f"| {run.ROLE_CASE} |  | 500 ms | 1.00 s | 0.50x |" in shown
    assert f"| {run.size_case(5000, 'yaml')} | 900 ms / 900 ms | 1.00 s / 1.00 s | 0.90x / 0.90x | 500 ms | 1.80x |" in table
    assert verdicts == {
        f"{run.size_case(500, 'json')}: impact / peer": False,
        f"{run.size_case(500, 'yaml')}: impact / peer": True,
        f"{run.size_case(2000, 'json')}: impact / peer": False,
        f"{run.size_case(5000, 'yaml')}: impact / peer": True,
        f"{run.ROLE_CASE}: impact / peer": True,
        f"{run.BASE_CASE.format('json')}: impact / peer": True,
        f"{run.BASE_CASE.format('md')}: impact / peer": True,
        "`--base`, 90 changed stacks: md / json": False,
        f"{run.size_case(500, 'yaml')}: impact / the floor (the C loader decoding both files)": True,
        f"{run.size_case(5000, 'yaml')}: impact / the floor (the C loader decoding both files)": False,
        f"peak memory, every case (most: {run.size_case(5000, 'yaml')})": False,
    }


def test_profile_counts_the_named_functions(tmp_path):
    """``bench.profile`` times the functions it is given wherever impact's modules hold them."""
    write_pairs(tmp_path, (20,))
    pair = [str(tmp_path / "20" / f"{side}.yaml") for side in ("old", "new")]
    specs = "impact.load.loader:load_text,impact.diff.differ:diff_resources,impact.assess.knockon:KnockOn.run"
    proc = subprocess.run(
        [sys.executable, "-m", "bench.profile", "--time", specs, "--", "diff", *pair, "--format", "json"],
        capture_output=True, text=True, cwd=ROOT, timeout=180,
    )
    assert proc.returncode == 0, proc.stderr
    calls = dict(re.findall(r"([\d,]+) calls  (\S+)", proc.stdout)[i][::-1] for i in range(3))
    assert calls["impact.load.loader:load_text"] == "2"  # imported by name into impact.load.sources: still counted
    assert calls["impact.diff.differ:diff_resources"] == "1"
    assert calls["impact.assess.knockon:KnockOn.run"] == "1"  # a method, replaced on its class
    assert re.search(r"stages: load \d+ ms, .*\bdiff \d+ ms, .*\brender \d+ ms", proc.stdout)
