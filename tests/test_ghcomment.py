"""The pull-request comment: found by its marker and its author, created or
updated through ``gh api``, replayed against recorded API responses."""

import json
import re
from pathlib import Path

import pytest
import yaml

from impact.cli.ghcomment import MAX_BODY, GhError, comment_body, main, upsert
from impact.render.markdown import MARKER

DATA = Path(__file__).parent / "data" / "ghcomment"
REPO_ROOT = Path(__file__).resolve().parents[1]
USER = ["api", "user"]
LIST = ["api", "--paginate", "repos/octo-org/infra/issues/7/comments?per_page=100"]
POST = ["api", "--method", "POST", "repos/octo-org/infra/issues/7/comments", "--input", "-"]
REPORT = f"{MARKER}\n### impact: 2 replacement\n\n| a | b |\n"


def recorded(name) -> str:
    return (DATA / name).read_text()


# What gh prints when GitHub Actions' token asks who it is.
ACTIONS_TOKEN_USER = "gh api user: HTTP 403: Resource not accessible by integration (https://api.github.com/user)"


class GitHub:
    """Replays ``gh api``: ``/user`` answers with the recorded user, or fails
    as it does for GitHub Actions' token when there is none; the listing
    answers with the recorded pages back to back, as ``--paginate`` prints
    them; writes answer with a recorded comment.  Every call is kept."""

    def __init__(self, *pages, user=None):
        self.pages = pages
        self.user = user
        self.calls = []

    def __call__(self, args, stdin=None):
        self.calls.append((args, json.loads(stdin) if stdin else None))
        if args == USER:
            if self.user is None:
                raise GhError(ACTIONS_TOKEN_USER)
            return recorded(self.user)
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
    assert gh.calls == [(USER, None), (LIST, None), (POST, {"body": REPORT})]
    assert result == "created comment https://github.com/octo-org/infra/pull/7#issuecomment-1999"


def test_updates_the_first_marked_comment_of_the_actions_bot_across_pages():
    gh = GitHub("comments-page1.json", "comments-page2.json")
    result = upsert("octo-org/infra", 7, REPORT, gh)
    patch = ["api", "--method", "PATCH", "repos/octo-org/infra/issues/comments/1805", "--input", "-"]
    assert gh.calls == [(USER, None), (LIST, None), (patch, {"body": REPORT})]
    assert result == "updated comment https://github.com/octo-org/infra/pull/7#issuecomment-1805"


def test_marked_comments_by_anyone_else_are_never_edited():
    # A person's comment that starts with the marker, and another app's bot.
    gh = GitHub("comments-marked-by-others.json", "comments-page1.json")
    upsert("octo-org/infra", 7, REPORT, gh)
    assert [args for args, _ in gh.calls] == [USER, LIST, POST]
    # With a personal token, the Actions bot's comments are someone else's too.
    gh = GitHub("comments-page2.json", "comments-marked-by-others.json", user="user.json")
    upsert("octo-org/infra", 7, REPORT, gh)
    assert [args for args, _ in gh.calls] == [USER, LIST, POST]


def test_a_personal_token_updates_its_own_comment():
    gh = GitHub("comments-page2.json", "comments-by-user.json", user="user.json")
    result = upsert("octo-org/infra", 7, REPORT, gh)
    patch = ["api", "--method", "PATCH", "repos/octo-org/infra/issues/comments/1821", "--input", "-"]
    assert gh.calls == [(USER, None), (LIST, None), (patch, {"body": REPORT})]
    assert result == "updated comment https://github.com/octo-org/infra/pull/7#issuecomment-1821"


def test_author_names_the_account_outright(tmp_path, capsys):
    report = tmp_path / "impact.md"
    report.write_text(REPORT)
    gh = GitHub("comments-marked-by-others.json", "comments-page2.json")
    args = ["--repo", "octo-org/infra", "--pr", "7", "--body-file", str(report), "--author", "impact-preview[bot]"]
    assert main(args, gh) == 0
    assert USER not in [call for call, _ in gh.calls]  # no need to ask who the token is
    assert gh.calls[-1][0][:4] == ["api", "--method", "PATCH", "repos/octo-org/infra/issues/comments/1812"]
    assert capsys.readouterr().out == "impact: updated comment https://github.com/octo-org/infra/pull/7#issuecomment-1812\n"


def test_an_unchanged_report_is_not_written_again():
    page = json.loads(recorded("comments-page2.json"))
    page[0]["body"] = REPORT

    def gh(args, stdin=None):
        if args == USER:
            raise GhError(ACTIONS_TOKEN_USER)
        assert args == LIST, args
        return json.dumps(page)

    assert upsert("octo-org/infra", 7, REPORT, gh).endswith("is up to date")


def test_no_comments_at_all():
    gh = GitHub("comments-none.json")
    upsert("octo-org/infra", 7, REPORT, gh)
    assert [args for args, _ in gh.calls] == [USER, LIST, POST]


def test_the_body_always_carries_the_marker():
    assert comment_body("### impact\n") == f"{MARKER}\n### impact\n"
    assert comment_body(REPORT) == REPORT


def _report(n: int) -> str:
    """A comment of ``n`` resources, each a <details> with a table."""
    rows = "\n".join(f"| 🔴 replacement | <code>/Properties/P{j}</code> | <code>\"a\"</code> | <code>\"b\"</code> |"
                     for j in range(20))
    block = "<details open>\n<summary>R{i}</summary>\n\n| label | path | before | after |\n|---|---|---|---|\n{rows}\n\n</details>\n"
    stack = "\n".join(block.format(i=i, rows=rows) for i in range(n))
    return f"{MARKER}\n\n### impact\n\n<details open>\n<summary>stack</summary>\n\n{stack}\n</details>\n"


def test_a_long_body_is_cut_between_blocks_within_the_limit_line_break_included():
    long = comment_body(_report(200))
    assert len(long) <= MAX_BODY and len(long) > MAX_BODY - 2000
    assert long.startswith(MARKER) and long.endswith("(cut to fit a GitHub comment; the step summary has the whole report)\n")
    assert long.count("<details") == long.count("</details>")  # every one left open is closed
    lines = long.split("\n")
    for i, line in enumerate(lines):  # every table row whole, every table whole up to its end
        if line.startswith("|"):
            assert line.endswith("|") and lines[i + 1].startswith("|") or lines[i + 1] == "", (i, line)
    body = _report(10)
    assert comment_body(body) == body  # it fits: as it is
    one_line = comment_body("x" * 100_000)
    assert len(one_line) <= MAX_BODY and one_line.startswith(MARKER + "\nxxx")


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
    assert "impact diff" in scripts and "--step-summary" in scripts and "python -m impact.cli.ghcomment" in scripts
    assert '--author "$AUTHOR"' in scripts
    assert any(step.get("uses", "").startswith("github/codeql-action/upload-sarif") for step in steps)
    # Inputs reach scripts through env, never by ${{ }} inside a script.
    assert "${{" not in scripts
    used = set(re.findall(r"inputs\.([\w-]+)", (REPO_ROOT / "action.yml").read_text()))
    assert used and used <= set(action["inputs"]), used - set(action["inputs"])
