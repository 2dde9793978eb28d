"""The command line at a terminal: usage, help text, and text output that
fits the terminal's width."""

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios

from conftest import REPO

ANSI = re.compile(r"\x1b\[[0-9;]*m")


def at_terminal(*args, columns, cwd=None):
    """Run impact with stdout on a pseudo-terminal ``columns`` wide; its
    output without colour codes, and the exit code."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, columns, 0, 0))
    env = {k: v for k, v in os.environ.items() if k not in ("COLUMNS", "LINES", "NO_COLOR")}
    proc = subprocess.Popen([sys.executable, "-m", "impact", *map(str, args)], cwd=cwd or REPO, env=env,
                            stdin=subprocess.DEVNULL, stdout=slave, stderr=subprocess.PIPE)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    code = proc.wait(timeout=180)
    proc.stderr.close()
    text = b"".join(chunks).decode("utf-8").replace("\r\n", "\n")
    return ANSI.sub("", text), code


# usage and help


def test_no_arguments_prints_the_usage(impact):
    for args in ((), ("rules",)):
        r = impact(*args)
        assert r.code == 2, r
        assert r.out.lstrip().startswith(f"Usage: impact {' '.join(args)}".replace("  ", " ")), r
        assert "diff" in r.out or "show" in r.out
        assert r.err == "", r  # no empty error message after it


def test_command_help_is_not_broken_mid_sentence(impact):
    """Every command's summary is whole, one line even at 80 columns: not
    cut short with an ellipsis, and the breaks of its source do not show."""
    for args in ((), ("rules",)):
        r = impact(*args, "--help", env={"COLUMNS": "80"})
        assert r.code == 0, r
        panel = r.out.split("Commands:")[1]
        rows = [line for line in panel.splitlines() if line.strip()]
        assert rows, r.out
        for row in rows:
            assert row.startswith("  ") and not row.startswith("   "), f"a continuation line: {row!r}"
            name, _, text = row.strip().partition("  ")
            assert text.strip().endswith(".") and not text.strip().endswith("..."), row
            assert len(row) <= 80, row


def test_every_command_takes_h_for_help(impact):
    for args in (("diff",), ("changeset",), ("rules",), ("rules", "show"), ("rules", "build"), ()):
        r = impact(*args, "-h")
        assert r.code == 0, (args, r)
        assert r.out.startswith(f"Usage: impact {' '.join(args)}".replace("  ", " ")), r


def test_help_at_80_columns_gives_each_description_the_room_of_the_line(impact):
    """Plain help: an option's description starts within the first 30
    columns and its lines are at most 80 wide, so a description reads in
    lines of about 50 characters, not 30."""
    for args in (("diff",), ("changeset",)):
        r = impact(*args, "--help", env={"COLUMNS": "80"})
        assert r.code == 0, r
        options = r.out.split("Options:")[1].splitlines()
        assert max(map(len, options)) <= 80, r.out
        assert "x>=1" not in r.out and "<int" not in r.out and "<str>" not in r.out
        fail_on = next(line for line in options if line.lstrip().startswith("--fail-on"))
        assert fail_on.index("Exit 1") <= 30, fail_on
        assert "FORMAT" in r.out and "text, md, html, checklist, json, sarif or github" in " ".join(r.out.split())


# text output at a terminal


def words(text):
    return text.split()


def test_text_wraps_at_the_terminal_width_between_words():
    pair = ("examples/security-old.yaml", "examples/security-new.yaml")
    piped = subprocess.run([sys.executable, "-m", "impact", "diff", *pair], capture_output=True, text=True, cwd=REPO)
    assert max(map(len, piped.stdout.splitlines())) > 100  # one line per entry when piped
    out, code = at_terminal("diff", *pair, columns=72)
    assert code == 0, out
    lines = out.splitlines()
    for line in lines:
        assert len(line) <= 72, line
    # The same words in the same order: only the line breaks moved, and a
    # line ends at a space or, inside a long path, after a "/" (see below).
    assert "".join(words(out)) == "".join(words(piped.stdout))
    piped_words = set(words(piped.stdout))
    for line in filter(str.strip, lines):
        last = line.split()[-1]
        assert last in piped_words or last.endswith("/"), line
    # A continuation line is indented deeper than the line it continues.
    rule = next(i for i, line in enumerate(lines) if "/Properties/SecurityGroupIngress/1" in line)
    assert lines[rule + 1].startswith(" " * 10) and '"CidrIp"' in " ".join(lines[rule:rule + 4])


def test_a_wide_terminal_shows_more_of_a_long_value(write):
    text = " ".join(f"word{i:02}" for i in range(20))  # 139 characters
    old = write("old.yaml", f"Resources:\n  T:\n    Type: AWS::SNS::Topic\n    Properties: {{DisplayName: {text}}}\n")
    new = write("new.yaml", old.read_text().replace("word10", "WORD10"))
    piped = subprocess.run([sys.executable, "-m", "impact", "diff", old, new], capture_output=True, text=True)
    (line,) = [line for line in piped.stdout.splitlines() if "/DisplayName" in line]
    assert "…" in line and "word00" not in line and "WORD10" in line  # shortened to the default room
    wide, code = at_terminal("diff", old, new, columns=400)
    assert code == 0, wide
    (line,) = [line for line in wide.splitlines() if "/DisplayName" in line]
    assert "…" not in line and f'"{text}" → "{text.replace("word10", "WORD10")}"' in line
    narrow, _ = at_terminal("diff", old, new, columns=60)
    assert "word10" in narrow and "WORD10" in narrow  # the difference is never cut


def test_columns_sets_the_width_at_a_terminal_only(write, impact):
    old = write("old.yaml", "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties: {QueueName: "
                + "a-" * 40 + "x}\n")
    new = write("new.yaml", old.read_text().replace("x}", "y}"))
    r = impact("diff", old, new, env={"COLUMNS": "50"})
    assert any(len(line) > 50 and " " in line.strip() for line in r.out.splitlines()), r.out  # a pipe: one line


def test_a_path_longer_than_the_line_breaks_after_a_slash(write):
    """A change's path wider than the terminal breaks after a "/", and the
    words are those of the piped output."""
    deep = "Resources:\n  Q:\n    Type: AWS::SQS::Queue\n    Properties:\n      RedrivePolicy: {{maxReceiveCount: {}}}\n"
    old, new = write("old.yaml", deep.format(3)), write("new.yaml", deep.format(5))
    piped = subprocess.run([sys.executable, "-m", "impact", "diff", "old.yaml", "new.yaml"],
                           capture_output=True, text=True, cwd=old.parent)
    out, code = at_terminal("diff", "old.yaml", "new.yaml", columns=56, cwd=old.parent)
    assert code == 0, out
    lines = out.splitlines()
    assert all(len(line) <= 56 for line in lines), out
    assert words(out) != words(piped.stdout) and "".join(words(out)) == "".join(words(piped.stdout))
    at = next(i for i, line in enumerate(lines) if line.endswith("/Properties/RedrivePolicy/"))
    assert lines[at + 1].startswith(" " * 10) and lines[at + 1].strip().startswith("maxReceiveCount"), out
