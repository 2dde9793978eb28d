"""The pull-request comment: found by its marker, created or updated through
``gh api``, replayed against recorded API responses."""

import json
import re
from pathlib import Path

import pytest
import yaml

from impact.ghcomment import MARKER, MAX_BODY, GhError, comment_body, main, upsert

DATA = Path(__file__).parent / "data" / "ghcomment"
REPO_ROOT = Path(__file__).resolve().parents[1]
LIST = ["api", "--paginate", "repos/octo-org/infra/issues/7/comments?per_page=100"]
POST = ["api", "--method", "POST", "repos/octo-org/infra/issues/7/comments", "--input", "-"]
REPORT = "<!-- impact: pull-request report -->\n### impact: 2 replacement\n\n| a | b |\n"


def recorded(name) -> str:
    return (DATA / name).read_text()


class GitHub:
    """Replays ``gh api``: the listing answers with the recorded pages back
    to back, as ``--paginate`` prints them; writes answer with a recorded
    comment.  Every call is kept."""

    def __init__(self, *pages):
        self.pages = pages
        self.calls = []

    def __call__(self, args, stdin=None):
        self.calls.append((args, json.loads(stdin) if stdin else None))
        if args == LIST:
            return "".join(recorded(page) for page in self.pages)
        if args == POST:
            return recorded("created.json")
        if args[:3] == ["api", "--method", "PATCH"]:
            return recorded("updated.json")
        raise AssertionError(f"unexpected call: gh {args}")


def test_creates_the_comment_when_no_comment_has_the_marker():
    gh = GitHub("comments-page1.json", "comments-without-marker.json")
    result = upsert("octo-org/infra", 7, REPORT, gh)
    assert gh.calls == [(LIST, None), (POST, {"body": REPORT})]
    assert result == "created comment https://github.com/octo-org/infra/pull/7#issuecomment-1999"


def test_updates_the_first_marked_comment_found_across_pages():
    gh = GitHub("comments-page1.json", "comments-page2.json")
    result = upsert("octo-org/infra", 7, REPORT, gh)
    patch = ["api", "--method", "PATCH", "repos/octo-org/infra/issues/comments/1805", "--input", "-"]
    assert gh.calls == [(LIST, None), (patch, {"body": REPORT})]
    assert result == "updated comment https://github.com/octo-org/infra/pull/7#issuecomment-1805"


def test_an_unchanged_report_is_not_written_again():
    page = json.loads(recorded("comments-page2.json"))
    page[0]["body"] = REPORT

    def gh(args, stdin=None):
        assert args == LIST, args
        return json.dumps(page)

    assert upsert("octo-org/infra", 7, REPORT, gh).endswith("is up to date")


def test_no_comments_at_all():
    gh = GitHub("comments-none.json")
    upsert("octo-org/infra", 7, REPORT, gh)
    assert [args for args, _ in gh.calls] == [LIST, POST]


def test_the_body_always_carries_the_marker_and_fits():
    assert comment_body("### impact\n") == "<!-- impact: report -->\n### impact\n"
    assert comment_body(REPORT) == REPORT
    long = comment_body(REPORT + "x" * 100_000)
    assert long.startswith(MARKER) and len(long) <= MAX_BODY + 1 and "cut to fit" in long


def test_bad_repository_names_never_reach_the_api():
    gh = GitHub()
    with pytest.raises(GhError):
        upsert("octo-org/infra/../../user", 7, REPORT, gh)
    assert gh.calls == []


def test_main_reads_the_report_and_reports_failures(tmp_path, capsys):
    report = tmp_path / "impact.md"
    report.write_text(REPORT)
    gh = GitHub("comments-page1.json")
    assert main(["--repo", "octo-org/infra", "--pr", "7", "--body-file", str(report)], gh) == 0
    assert capsys.readouterr().out.startswith("impact: created comment")

    def failing(args, stdin=None):
        raise GhError("gh api --paginate repos/octo-org/infra/issues/7/comments?per_page=100: HTTP 403")

    assert main(["--repo", "octo-org/infra", "--pr", "7", "--body-file", str(report)], failing) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "HTTP 403" in err
    assert main(["--repo", "octo-org/infra", "--pr", "7", "--body-file", str(tmp_path / "none.md")], gh) == 2


def test_the_action_wires_the_steps_together():
    action = yaml.safe_load((REPO_ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    steps = action["runs"]["steps"]
    scripts = "\n".join(step.get("run", "") for step in steps)
    assert "impact diff" in scripts and "--step-summary" in scripts and "python -m impact.ghcomment" in scripts
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
    # Inputs reach scripts through env, never by ${{ }} inside a script.
    assert "${{" not in scripts
    used = set(re.findall(r"inputs\.([\w-]+)", (REPO_ROOT / "action.yml").read_text()))
    assert used and used <= set(action["inputs"]), used - set(action["inputs"])
