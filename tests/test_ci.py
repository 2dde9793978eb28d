"""impact in CI and before a commit: --fail-on none, --merge-base, and the
pre-commit hook."""

import shlex

import pytest

from test_sources import queue, repo  # noqa: F401  (the fixture)


def test_fail_on_none_overrides_the_config(impact, write, tmp_path):
    old = write("old.yaml", queue(name="a"))
    new = write("new.yaml", queue(name="b"))  # QueueName: a replacement
    write(".impact.yaml", "fail_on: no-interruption\n")
    assert impact("diff", old, new, cwd=tmp_path).code == 1
    r = impact("diff", old, new, "--fail-on", "none", cwd=tmp_path)
    assert r.code == 0 and "replacement" in r.out
    assert impact("diff", old, new, "--fail-on", "nothing", cwd=tmp_path).code == 2


def test_config_fail_on_none(impact, write, tmp_path):
    write(".impact.yaml", "fail_on: none\n")
    r = impact("diff", write("old.yaml", queue(name="a")), write("new.yaml", queue(name="b")), cwd=tmp_path)
    assert r.code == 0, r


def test_merge_base_leaves_out_what_the_base_branch_did_since(impact, repo):
    repo.write("stacks/app.yaml", queue(timeout="30"))
    repo.write("stacks/other.yaml", queue(name="other"))
    repo.commit("base")
    repo.git("checkout", "-q", "-b", "feature")
    repo.write("stacks/app.yaml", queue(timeout="60"))
    repo.commit("feature")
    repo.git("checkout", "-q", "main")
    repo.write("stacks/other.yaml", queue(name="other-v2"))
    fork = repo.git("merge-base", "main", "feature").strip()
    repo.commit("main moves on")
    repo.git("checkout", "-q", "feature")
    plain = impact("diff", "--base", "main", "--head", "HEAD", "--format", "json", cwd=repo.root)
    assert sorted(s["new"] for s in plain.json()["stacks"]) == ["stacks/app.yaml", "stacks/other.yaml"]
    r = impact("diff", "--base", "main", "--merge-base", "--format", "json", cwd=repo.root)
    assert [(s["old"], s["new"]) for s in r.json()["stacks"]] == [(f"{fork[:12]}:stacks/app.yaml", "stacks/app.yaml")]
    r = impact("diff", "--base", "main", "--head", "feature", "--merge-base", cwd=repo.root)
    assert "VisibilityTimeout" in r.out and "other" not in r.out
    r = impact("diff", "main", "feature", "--merge-base", cwd=repo.root)
    assert r.code == 2 and r.err.strip() == "impact: --merge-base needs --base"


def test_no_merge_base_is_one_line(impact, repo):
    repo.write("a.yaml", queue())
    repo.commit("one")
    repo.git("checkout", "-q", "--orphan", "other")
    repo.write("a.yaml", queue(name="x"))
    repo.commit("unrelated")
    r = impact("diff", "--base", "main", "--merge-base", cwd=repo.root)
    assert r.code == 2 and r.err.startswith("impact: main and HEAD have no merge base"), r


def test_pre_commit_hook_runs_on_the_staged_templates(impact, repo):
    pre_commit = pytest.importorskip("pre_commit.clientlib")
    from conftest import REPO

    (hook,) = pre_commit.load_manifest(str(REPO / ".pre-commit-hooks.yaml"))
    assert hook["id"] == "impact" and hook["language"] == "python" and "yaml" in hook["types_or"]
    repo.write("stacks/app.yaml", queue(name="a"))
    repo.write("notes.yaml", "not: a template\n")
    repo.commit("base")
    repo.write("stacks/app.yaml", queue(name="b"))
    repo.git("add", "stacks/app.yaml")
    entry = shlex.split(hook["entry"])
    assert entry[:2] == ["impact", "diff"]
    # pre-commit runs the entry with the hook's args and the staged file names.
    r = impact(*entry[1:], *hook["args"], "stacks/app.yaml", cwd=repo.root)
    assert r.code == 1 and "QueueName" in r.out and "replacement" in r.out
    r = impact(*entry[1:], "--fail-on", "conditional", "notes.yaml", cwd=repo.root)
    assert r.code == 0
