"""Keep one impact comment on a pull request, edited in place on every run.

The comment is the first one whose body starts with the hidden marker
``<!-- impact:``; when there is none, a new comment is created.  Comments
without the marker, whoever wrote them, are never edited.  A body without
the marker gets one, so the next run finds it.  Talks to GitHub through
``gh api``, authenticated by ``GH_TOKEN``::

    python -m impact.ghcomment --repo OWNER/NAME --pr 12 --body-file impact.md
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
from typing import Callable, Optional

MARKER = "<!-- impact:"
MARKER_LINE = "<!-- impact: report -->"
MAX_BODY = 65_536  # GitHub refuses longer comments
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


def comment_body(report: str) -> str:
    """The comment for a Markdown report: marked, and within GitHub's limit."""
    body = report.strip()
    if not body.startswith(MARKER):
        body = f"{MARKER_LINE}\n{body}"
    if len(body) > MAX_BODY:
        cut = "\n\n… (cut to fit a GitHub comment; the step summary has the whole report)"
        body = body[: MAX_BODY - len(cut)] + cut
    return body + "\n"


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


def find_comment(repo: str, pr: int, run: Runner = gh) -> Optional[dict]:
    """The first comment on the pull request that starts with the marker."""
    for comment in _pages(run(["api", "--paginate", f"repos/{repo}/issues/{pr}/comments?per_page=100"], None)):
        if (comment.get("body") or "").lstrip().startswith(MARKER):
            return comment
    return None


def upsert(repo: str, pr: int, report: str, run: Runner = gh) -> str:
    """Create or update the comment; says which it did."""
    if not _REPO.match(repo):
        raise GhError(f"bad repository {repo!r}: expected OWNER/NAME")
    body = comment_body(report)
    payload = json.dumps({"body": body})
    existing = find_comment(repo, pr, run)
    if existing is None:
        created = json.loads(run(["api", "--method", "POST", f"repos/{repo}/issues/{pr}/comments", "--input", "-"], payload))
        return f"created comment {created.get('html_url') or created.get('id')}"
    where = existing.get("html_url") or existing["id"]
    if existing.get("body") == body:
        return f"comment {where} is up to date"
    run(["api", "--method", "PATCH", f"repos/{repo}/issues/comments/{int(existing['id'])}", "--input", "-"], payload)
    return f"updated comment {where}"


def main(argv=None, run: Runner = gh) -> int:
    parser = argparse.ArgumentParser(prog="python -m impact.ghcomment", description=__doc__.splitlines()[0])
    parser.add_argument("--repo", required=True, help="OWNER/NAME, e.g. $GITHUB_REPOSITORY")
    parser.add_argument("--pr", required=True, type=int, help="the pull request's number")
    parser.add_argument("--body-file", required=True, help="the Markdown report")
    args = parser.parse_args(argv)
    try:
        with open(args.body_file, encoding="utf-8") as fh:
            report = fh.read()
        print(f"impact: {upsert(args.repo, args.pr, report, run)}")
    except OSError as e:
        sys.stderr.write(f"impact: {args.body_file}: {e.strerror or e}\n")
        return 2
    except (GhError, ValueError, KeyError) as e:
        sys.stderr.write(f"impact: cannot post the comment: {e}\n")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
