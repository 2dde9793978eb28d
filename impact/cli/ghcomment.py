"""Keep one impact comment on a pull request, edited in place on every run.

The comment is the first one written by the token's own account whose body
starts with the hidden marker ``<!-- impact: pull-request report -->``; when
there is none, a new comment is created.  Comments by anyone else, marked or
not, are never edited.  The account is ``gh api user``'s login, or
``github-actions[bot]`` for the token of a GitHub Actions run, which cannot
read ``/user``; ``--author`` names it outright.  A body without the marker
gets one, so the next run finds it.  Talks to GitHub through ``gh api``,
authenticated by ``GH_TOKEN``::

    python -m impact.cli.ghcomment --repo OWNER/NAME --pr 12 --body-file impact.md
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import Callable, Optional

from ..render.markdown import MARKER

MAX_BODY = 65_536  # GitHub refuses longer comments
ACTIONS_BOT = "github-actions[bot]"  # who comments with a GitHub Actions token
CUT_NOTE = "… (cut to fit a GitHub comment; the step summary has the whole report)\n"
_REPO = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")

# Runs ``gh`` with these arguments and this standard input; returns standard output.
Runner = Callable[[list, Optional[str]], str]


class GhError(Exception):
    """gh failed: one line."""


def gh(args: list, stdin: Optional[str] = None) -> str:
    try:
        proc = subprocess.run(["gh", *args], input=stdin, capture_output=True, text=True)
    except FileNotFoundError:
        raise GhError("gh (the GitHub CLI) is not installed") from None
    if proc.returncode:
        lines = proc.stderr.strip().splitlines()
        raise GhError(f"gh {' '.join(args[:3])}: {lines[-1] if lines else f'exit code {proc.returncode}'}")
    return proc.stdout


def _cut(body: str, room: int) -> str:
    """``body`` cut to at most ``room`` characters at a blank line (between
    two blocks), else at a line end, with every ``<details>`` left open
    closed again; anywhere when the last half of the room has no line end."""
    floor, end = room // 2, room
    while True:
        cut = body.rfind("\n\n", floor, end)
        if cut < 0:
            cut = body.rfind("\n", floor, end)
        if cut < 0:
            return body[: room - 1] + "\n"
        kept = body[:cut]
        depth = max(kept.count("<details") - kept.count("</details>"), 0)
        text = kept + "\n" + "\n</details>\n" * depth + "\n"
        if len(text) <= room:
            return text
        end = cut


def comment_body(report: str) -> str:
    """The comment for a Markdown report: marked, and within GitHub's limit
    of ``MAX_BODY`` characters, its final line break included."""
    body = report.strip()
    if not body.startswith(MARKER):
        body = f"{MARKER}\n{body}"
    body += "\n"
    if len(body) > MAX_BODY:
        body = _cut(body, MAX_BODY - len(CUT_NOTE)) + CUT_NOTE
    return body


def _pages(text: str) -> list:
    """The items of ``gh api --paginate``'s output: one JSON array per page, back to back."""
    decoder, items, at = json.JSONDecoder(), [], 0
    while True:
        while at < len(text) and text[at].isspace():
            at += 1
        if at == len(text):
            return items
        page, at = decoder.raw_decode(text, at)
        items.extend(page)


def author(run: Runner = gh) -> dict:
    """Whose comments this token writes: ``{"login": ...}``, with ``"type":
    "Bot"`` for GitHub Actions' token, which cannot read ``/user``."""
    try:
        return {"login": json.loads(run(["api", "user"], None))["login"]}
    except (GhError, ValueError, KeyError, TypeError):
        return {"login": ACTIONS_BOT, "type": "Bot"}


def _by(comment: dict, who: dict) -> bool:
    user = comment.get("user") or {}
    return all(user.get(key) == value for key, value in who.items())


def find_comment(repo: str, pr: int, who: dict, run: Runner = gh) -> Optional[dict]:
    """The first comment on the pull request by ``who`` that starts with the marker."""
    for comment in _pages(run(["api", "--paginate", f"repos/{repo}/issues/{pr}/comments?per_page=100"], None)):
        if _by(comment, who) and (comment.get("body") or "").lstrip().startswith(MARKER):
            return comment
    return None


def upsert(repo: str, pr: int, report: str, run: Runner = gh, login: Optional[str] = None) -> str:
    """Create or update the comment of ``login`` (default: the token's
    account, see :func:`author`); says which it did."""
    if not _REPO.match(repo):
        raise GhError(f"bad repository {repo!r}: expected OWNER/NAME")
    body = comment_body(report)
    payload = json.dumps({"body": body})
    existing = find_comment(repo, pr, {"login": login} if login else author(run), run)
    if existing is None:
        created = json.loads(run(["api", "--method", "POST", f"repos/{repo}/issues/{pr}/comments", "--input", "-"], payload))
        return f"created comment {created.get('html_url') or created.get('id')}"
    where = existing.get("html_url") or existing["id"]
    if existing.get("body") == body:
        return f"comment {where} is up to date"
    run(["api", "--method", "PATCH", f"repos/{repo}/issues/comments/{int(existing['id'])}", "--input", "-"], payload)
    return f"updated comment {where}"


def main(argv=None, run: Runner = gh) -> int:
    parser = argparse.ArgumentParser(prog="python -m impact.cli.ghcomment", description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="OWNER/NAME, e.g. $GITHUB_REPOSITORY")
    parser.add_argument("--pr", required=True, type=int, help="the pull request's number")
    parser.add_argument("--body-file", required=True, help="the Markdown report")
    parser.add_argument("--author", help="the login whose comment to update (default: the token's account)")
    args = parser.parse_args(argv)
    try:
        with open(args.body_file, encoding="utf-8") as fh:
            report = fh.read()
        print(f"impact: {upsert(args.repo, args.pr, report, run, args.author)}")
    except OSError as e:
        sys.stderr.write(f"impact: {args.body_file}: {e.strerror or e}\n")
        return 2
    except (GhError, ValueError, KeyError) as e:
        sys.stderr.write(f"impact: cannot post the comment: {e}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
