"""What to compare: two templates, two folders, or every template that
differs between two git revisions, plus the nested stacks they point at.

A file is a template by its content, never by its name: it loads as a
mapping with a ``Resources`` mapping.  A file that claims to be a template
but does not load is an error: one with a ``Resources`` mapping or an
``AWSTemplateFormatVersion`` at the top, or, when it does not even parse, one
whose first key is a template section such as ``Parameters``.  Every other
file is skipped.  When walking folders or git revisions, files larger than
the size limit, binary files, files that are not UTF-8 and symbolic links are
skipped without reading them as templates.

A template present on one side only is compared with an empty template, so
every resource in it counts as added or removed.

An ``AWS::CloudFormation::Stack`` whose template is a local file (a relative
``TemplateURL``, or CDK's ``aws:asset:path`` metadata) is followed on each
side, and its template is compared as its own stack named
``<parent stack>/<LogicalId>``.  Such a child is not also compared under its
own path.  Children must lie inside the compared folder or repository.
"""

from __future__ import annotations

import os
import posixpath
import re
import stat
import subprocess
from dataclasses import dataclass, field, replace
from typing import NamedTuple, Optional

from .loader import LoadError, decode, load_file, load_text, parse
from .spans import Resources, of_type
from ..model import Template

NESTED_STACK = "AWS::CloudFormation::Stack"
MAX_NESTING = 10  # levels of nested stacks followed below a template
TEMPLATE_KEYS = ("Resources", "AWSTemplateFormatVersion")
SECTIONS = (
    "AWSTemplateFormatVersion", "Description", "Metadata", "Parameters", "Rules",
    "Mappings", "Conditions", "Transform", "Resources", "Outputs",
)
# Text that does not parse claims to be a template when its first key, after
# comments and YAML directives, is a template section.
_CLAIM = re.compile(
    r"(?:[ \t]*(?:[#%].*|---.*)?\r?\n)*[ \t]*\{?\s*[\"']?(?:" + "|".join(SECTIONS) + r")[\"']?[ \t]*:"
)
_REMOTE = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")  # https:, s3:, file:, ...
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_OBJECT = re.compile(r"^([0-9a-f]{40,64}) (\w+) (\d+)$")
REGULAR_MODES = ("100644", "100755")


class SourceError(Exception):
    """The revisions or folders to compare cannot be read: one line."""


class Pair:
    """Two revisions of one stack's template, ready to diff: given as
    templates, or as where they were found (``old_loc``, ``new_loc``).

    A template found in a folder or revision is read when the pair is diffed
    and let go after (:meth:`release`), so that a run over many stacks holds
    one pair at a time; a broken one stops the run then, before any report
    is written."""

    def __init__(self, name: str, old: Optional[Template] = None, new: Optional[Template] = None,
                 notes: Optional[list] = None, old_loc: Optional["_Loc"] = None, new_loc: Optional["_Loc"] = None):
        self.name, self.notes = name, notes if notes is not None else []
        self._given = [old, new]
        self.old_loc, self.new_loc = old_loc, new_loc

    def _side(self, i: int, loc) -> Template:
        if self._given[i] is not None:
            return self._given[i]
        return loc.load() if loc else empty_template()

    @property
    def old(self) -> Template:
        return self._side(0, self.old_loc)

    @property
    def new(self) -> Template:
        return self._side(1, self.new_loc)

    def release(self) -> None:
        """Let the templates go once the stack is diffed."""
        self._given = [None, None]
        for loc in (self.old_loc, self.new_loc):
            if loc is not None:
                loc.release()


def shown_as(template: Template, name: str) -> Template:
    """The template, named in reports as ``name`` (its warnings too, also
    those told when a resource is read later)."""
    if template.warnings and template.path != name:
        template.warnings[:] = [replace(w, file=name) for w in template.warnings]
    resources = template.data.get("Resources")
    if isinstance(resources, Resources):
        resources.shown = name
    template.path = name
    return template


def empty_template() -> Template:
    return Template(path=None, data={"Resources": {}}, fmt="yaml")


# ---------------------------------------------------------------------------
# Sides: one revision of a tree of files


class Folder:
    """A folder on disk; paths are relative to it, with ``/``.  Reports and
    errors show them below ``name`` (the folder as the user gave it)."""

    def __init__(self, root: str, name: Optional[str] = None):
        self.root = root
        self.name = root if name is None else name

    def where(self, path: str) -> str:
        return os.path.join(self.name, path)

    def shown(self, path: str) -> str:
        return self.where(path)

    def read(self, path: str, limit: Optional[int] = None) -> Optional[bytes]:
        """The file's bytes; None unless it is a regular file (within ``limit`` bytes)."""
        full = os.path.join(self.root, path)
        try:
            info = os.lstat(full)
            if not stat.S_ISREG(info.st_mode) or (limit is not None and info.st_size > limit):
                return None
            with open(full, "rb") as fh:
                return fh.read()
        except OSError:
            return None


class GitTree:
    """The files of one git commit.  Errors name ``REF:path``; reports show
    ``REF:path`` too, except on the head side, whose paths are the
    repository's (annotations and SARIF point at them)."""

    def __init__(self, repo: "Repo", commit: str, label: str, plain: bool = False):
        self.repo, self.commit, self.label, self.plain = repo, commit, label, plain

    def where(self, path: str) -> str:
        return f"{self.label}:{path}"

    def shown(self, path: str) -> str:
        return path if self.plain else self.where(path)

    def read(self, path: str, limit: Optional[int] = None) -> Optional[bytes]:
        return self.repo.blobs([f"{self.commit}:{path}"], limit)[0]


class _Loc:
    """Where one side of a stack's template came from: the template, and the
    logical IDs and local nested stack references of its resources.  The
    template is read once (its resources only as they are asked for, see
    :mod:`impact.load.spans`) and let go once its stack is diffed."""

    def __init__(self, side, path: str, template: Template):
        self.side, self.path, self.template = side, path, template
        resources = template.resources
        self.ids = frozenset(resources)
        self.refs = {}
        for logical_id in of_type(resources, NESTED_STACK):  # only these are read
            ref = _template_ref(resources[logical_id])
            if ref is not None:
                self.refs[logical_id] = ref

    def load(self) -> Template:
        if self.template is None:
            raise RuntimeError(f"{self.path}: read again after it was let go")
        return self.template

    def release(self) -> None:
        """Let the template go once its stack is diffed."""
        self.template = None


@dataclass
class _Entry:
    """A stack to compare: its template on each side (None: absent)."""

    name: str
    old: Optional[_Loc]
    new: Optional[_Loc]
    notes: list = field(default_factory=list)
    # The same on both sides: not reported, only followed to its nested
    # stacks, so that a changed child is named after it.
    same: bool = False

    def locs(self):
        return [loc for loc in (self.old, self.new) if loc is not None]


def _might_be_template(raw: bytes, max_bytes: int) -> bool:
    """Cheap tests before parsing: small enough, and the key names occur."""
    return len(raw) <= max_bytes and any(key.encode() in raw for key in TEMPLATE_KEYS)


def _claims_template(where: str, text: str) -> bool:
    try:
        data, _, _ = parse(where, text)
    except LoadError:
        return bool(_CLAIM.match(text))
    return isinstance(data.get("Resources"), dict) or "AWSTemplateFormatVersion" in data


def detect(side, path: str, raw: Optional[bytes], max_bytes: int, like: Optional[_Loc] = None) -> Optional[_Loc]:
    """The template in ``raw``, or None when it is not one; ``like``, the
    other revision when it was read first, saves reading what is the same.

    Raises LoadError for a file that claims to be a template and is broken.
    """
    if raw is None or not _might_be_template(raw, max_bytes):
        return None
    where = side.where(path)
    try:
        text = decode(where, raw, max_bytes)
    except LoadError:
        return None  # binary, or not UTF-8
    try:
        template = load_text(where, text, like=like.template if like is not None else None)
    except LoadError:
        if _claims_template(where, text):
            raise
        return None
    shown_as(template, side.shown(path))
    return _Loc(side, path, template)


# ---------------------------------------------------------------------------
# Nested stacks


def _template_ref(resource) -> Optional[str]:
    """The TemplateURL of a nested stack when it is a local path."""
    if not isinstance(resource, dict) or resource.get("Type") != NESTED_STACK:
        return None
    meta = resource.get("Metadata")
    if isinstance(meta, dict) and meta.get("aws:asset:property") == "TemplateURL":
        ref = meta.get("aws:asset:path")  # CDK: the URL is built from an asset hash
    else:
        props = resource.get("Properties")
        ref = props.get("TemplateURL") if isinstance(props, dict) else None
    if not isinstance(ref, str) or not ref or _REMOTE.match(ref):
        return None
    return ref


def _resolve(parent: str, ref: str) -> Optional[str]:
    """``ref`` relative to the parent template's path; None outside the root."""
    if ref.startswith("/") or _CONTROL.search(ref):
        return None
    path = posixpath.normpath(posixpath.join(posixpath.dirname(parent), ref))
    if path == ".." or path.startswith("../"):
        return None
    return path


def _children(loc: Optional[_Loc]) -> dict:
    """{logical ID: local template reference} of the nested stacks in ``loc``."""
    return {} if loc is None else loc.refs


def _child_paths(entries) -> set:
    """(side, path) of every template some entry points at."""
    found = set()
    for entry in entries:
        for loc in entry.locs():
            for ref in _children(loc).values():
                path = _resolve(loc.path, ref)
                if path is not None:
                    found.add((loc.side, path))
    return found


class _NotFollowed(Exception):
    """Why a nested stack's template is not compared."""


def _follow(loc: Optional[_Loc], which: str, logical_id: str, refs: dict, ancestors: set, max_bytes: int):
    """(side, path, bytes) of a nested stack's template on one side, or None
    when that side has no such resource (it is added or removed)."""
    if loc is None or logical_id not in loc.ids:
        return None
    if logical_id not in refs:
        raise _NotFollowed(f"its {which} template is not a local file")
    path = _resolve(loc.path, refs[logical_id])
    if path is None:
        raise _NotFollowed(f"{refs[logical_id]!r} is outside the compared files")
    if (loc.side, path) in ancestors:
        raise _NotFollowed(f"{loc.side.shown(path)} contains itself")
    raw = loc.side.read(path, max_bytes)
    if raw is None:
        raise _NotFollowed(f"{loc.side.where(path)} not found, or larger than --max-bytes")
    return loc.side, path, raw


def _nested(entry: _Entry, ancestors: set, depth: int, max_bytes: int) -> list:
    """The nested stacks of ``entry`` whose templates differ, as entries; what
    cannot be followed becomes a note on ``entry``."""
    old_refs, new_refs = _children(entry.old), _children(entry.new)
    out = []
    for logical_id in dict.fromkeys([*new_refs, *old_refs]):
        try:
            sides = [
                _follow(entry.old, "old", logical_id, old_refs, ancestors, max_bytes),
                _follow(entry.new, "new", logical_id, new_refs, ancestors, max_bytes),
            ]
        except _NotFollowed as e:
            entry.notes.append(f"nested stack {logical_id}: {e}; not compared")
            continue
        same = all(sides) and sides[0][2] == sides[1][2]
        if same and not may_nest(sides[1][2]):
            continue  # the same template on both sides, with no stacks of its own
        if depth >= MAX_NESTING:
            if same:
                continue
            entry.notes.append(f"nested stack {logical_id}: more than {MAX_NESTING} levels deep; not compared")
            continue
        locs = []
        for side in sides:
            if side is None:
                locs.append(None)
                continue
            folder, path, raw = side
            text = decode(folder.where(path), raw, max_bytes)
            like = locs[0].template if locs and locs[0] is not None else None
            template = shown_as(load_text(folder.where(path), text, like=like), folder.shown(path))
            locs.append(_Loc(folder, path, template))
        out.append(_Entry(f"{entry.name}/{logical_id}", *locs, same=same))
    return out


def may_nest(raw: bytes) -> bool:
    """Whether a template's bytes may hold a nested stack: a quick test
    before an unchanged one is read to follow its children."""
    return NESTED_STACK.encode() in raw


def _pairs(entries: list, max_bytes: int) -> list:
    """Entries in name order, each followed by its nested stacks.

    Templates another entry points at are compared as that entry's nested
    stacks rather than on their own (unless nothing reaches them), also
    when that entry is the same on both sides: such an entry is followed,
    not reported.
    """
    entries = sorted(entries, key=lambda e: e.name)
    children = _child_paths(entries)
    seen: set = set()
    out: list = []
    for entry in entries:
        if not any((loc.side, loc.path) in children for loc in entry.locs()):
            _visit(entry, set(), 0, max_bytes, seen, out)
    for entry in entries:  # only reached from each other: a cycle
        if not any((loc.side, loc.path) in seen for loc in entry.locs()):
            _visit(entry, set(), 0, max_bytes, seen, out)
    return out


def _visit(entry: _Entry, ancestors: set, depth: int, max_bytes: int, seen: set, out: list) -> None:
    """Add ``entry``'s pair to ``out`` (unless it is the same on both sides), then its nested stacks'."""
    here = {(loc.side, loc.path) for loc in entry.locs()}
    seen.update(here)
    if not entry.same:
        out.append(Pair(entry.name, notes=entry.notes, old_loc=entry.old, new_loc=entry.new))
    for child in _nested(entry, ancestors | here, depth, max_bytes):
        _visit(child, ancestors | here, depth + 1, max_bytes, seen, out)


# ---------------------------------------------------------------------------
# Two files, two folders


def file_pairs(old: str, new: str, max_bytes: int) -> list:
    """Two templates named by the user: both must load."""
    locs = []
    for given in (old, new):
        folder, name = os.path.split(given)
        like = locs[0].template if locs else None
        locs.append(_Loc(Folder(folder), name, load_file(given, max_bytes, like)))
    return _pairs([_Entry(new, *locs)], max_bytes)


def _walk(root: str, max_bytes: int) -> set:
    """Relative paths of the regular files under ``root`` small enough to be templates."""
    found = set()
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if d != ".git"]
        for name in files:
            full = os.path.join(folder, name)
            try:
                info = os.lstat(full)
            except OSError:
                continue
            if stat.S_ISREG(info.st_mode) and info.st_size <= max_bytes:
                found.add(os.path.relpath(full, root).replace(os.sep, "/"))
    return found


def dir_pairs(old_dir: str, new_dir: str, max_bytes: int) -> list:
    """Templates paired by relative path; identical files are left out."""
    old_side, new_side = Folder(old_dir), Folder(new_dir)
    old_files, new_files = _walk(old_dir, max_bytes), _walk(new_dir, max_bytes)
    entries, parents = [], []
    for path in sorted(old_files | new_files):
        old_raw = old_side.read(path) if path in old_files else None
        new_raw = new_side.read(path) if path in new_files else None
        if old_raw == new_raw:
            if old_raw is not None and may_nest(old_raw):
                parents.append((path, old_raw))
            continue
        old = detect(old_side, path, old_raw, max_bytes)
        new = detect(new_side, path, new_raw, max_bytes, old)
        if old or new:
            entries.append(_Entry(path, old, new))
    if entries:
        entries += _unchanged_parents([(old_side, new_side, path, raw) for path, raw in parents], max_bytes)
    return _pairs(entries, max_bytes)


def _unchanged_parents(found: list, max_bytes: int) -> list:
    """Entries for templates the same on both sides that hold nested stacks,
    from ``(old side, new side, path, bytes)``: followed only to name a
    changed child after its parent.  One that does not read as a template
    is not one; it did not change, so it stops nothing."""
    out = []
    for old_side, new_side, path, raw in found:
        try:
            old = detect(old_side, path, raw, max_bytes)
            new = detect(new_side, path, raw, max_bytes, old)
        except LoadError:
            continue
        if old and new and (old.refs or new.refs):
            out.append(_Entry(path, old, new, same=True))
    return out


# ---------------------------------------------------------------------------
# git


class FileChange(NamedTuple):
    kind: str  # git's status letter: A, D, M, T, R, C, U
    old_path: Optional[str]  # None when there is no regular file on that side
    new_path: Optional[str]
    old_blob: Optional[str]
    new_blob: Optional[str]


def _encode(text: str) -> bytes:
    return text.encode("utf-8", "surrogateescape")


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", "surrogateescape")


class Repo:
    """A git repository, driven through the git command line."""

    def __init__(self, cwd: Optional[str] = None):
        self.cwd = cwd or os.getcwd()
        self.root = _decode(self.git(["rev-parse", "--show-toplevel"])).strip()

    def git(self, args: list, stdin: Optional[bytes] = None) -> bytes:
        try:
            proc = subprocess.run(
                ["git", "--no-optional-locks", *args], cwd=self.cwd, input=stdin, capture_output=True
            )
        except FileNotFoundError:
            raise SourceError("git is not installed; --base needs it") from None
        if proc.returncode:
            lines = proc.stderr.decode(errors="replace").strip().splitlines()
            raise SourceError(f"git {args[0]}: {lines[-1] if lines else f'exit code {proc.returncode}'}")
        return proc.stdout

    def commit(self, ref: str) -> str:
        """The commit ``ref`` names."""
        if not ref or ref.startswith("-") or _CONTROL.search(ref):
            raise SourceError(f"bad revision {ref!r}")
        try:
            out = self.git(["rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}"])
        except SourceError:
            raise SourceError(f"unknown revision {ref!r}") from None
        return out.decode().strip()

    def merge_base(self, a: str, b: str) -> str:
        """The best common ancestor of ``a`` and ``b``."""
        a_commit, b_commit = self.commit(a), self.commit(b)
        try:
            return self.git(["merge-base", a_commit, b_commit]).decode().strip()
        except SourceError:
            raise SourceError(
                f"{a} and {b} have no merge base (in a shallow clone, fetch more history: git fetch --deepen=N)"
            ) from None

    def blobs(self, specs: list, limit: Optional[int] = None) -> list:
        """The contents of ``specs`` (object names or ``commit:path``): None
        for what is missing, not a file, or larger than ``limit`` bytes."""
        if not specs:
            return []
        listing = self.git(["cat-file", "--batch-check"], b"".join(_encode(s) + b"\n" for s in specs))
        wanted = []
        for line in _decode(listing).splitlines():
            m = _OBJECT.match(line)
            ok = m and m.group(2) == "blob" and (limit is None or int(m.group(3)) <= limit)
            wanted.append(m.group(1) if ok else None)
        names = [w for w in wanted if w]
        data = self.git(["cat-file", "--batch"], "".join(n + "\n" for n in names).encode()) if names else b""
        contents, at = {}, 0
        for name in names:  # each: "<name> blob <size>\n<bytes>\n"
            start = data.index(b"\n", at) + 1
            size = int(data[at : start - 1].split()[2])
            contents[name] = data[start : start + size]
            at = start + size + 1
        return [contents[w] if w else None for w in wanted]

    def nesting(self, side, paths: list) -> list:
        """Paths of the files on ``side`` (a commit, or the working tree)
        that mention a nested stack's type."""
        commit = [side.commit] if isinstance(side, GitTree) else []
        args = ["grep", "-l", "-z", "-F", "--full-name", "-e", NESTED_STACK, *commit, "--", *(paths or [":/"])]
        try:
            out = _decode(self.git(args))
        except SourceError:  # git grep exits 1 when nothing matches
            return []
        prefix = f"{side.commit}:" if commit else ""
        return [p[len(prefix):] if p.startswith(prefix) else p for p in out.split("\0") if p]

    def changes(self, base: str, head: Optional[str], paths: list) -> list:
        """Every file that differs, as FileChange.  Renames pair old and new
        paths; the working tree (head None) includes untracked files that are
        not ignored."""
        pathspec = ["--", *(paths or [":/"])]  # relative to the current folder; the whole repository by default
        args = ["diff", "--raw", "-z", "-M", "--no-abbrev", "--no-relative", "--no-ext-diff", "--no-textconv", base]
        fields = _decode(self.git(args + ([head] if head else []) + pathspec)).split("\0")
        found, i = [], 0
        while i < len(fields) and fields[i].startswith(":"):
            old_mode, new_mode, old_blob, new_blob, status = fields[i][1:].split(" ")
            kind = status[0]
            if kind in "RC":
                old_path, new_path, i = fields[i + 1], fields[i + 2], i + 3
            else:
                old_path = new_path = fields[i + 1]
                i += 2
            found.append(
                FileChange(
                    kind,
                    old_path if kind not in "AC" and old_mode in REGULAR_MODES else None,  # a copy leaves the original
                    new_path if kind != "D" and new_mode in REGULAR_MODES else None,
                    old_blob,
                    new_blob,
                )
            )
        if head is None:
            untracked = self.git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name", *pathspec])
            found += [FileChange("A", None, path, None, None) for path in _decode(untracked).split("\0") if path]
        return found


def _contents(repo: Repo, side, paths: list, limit: int) -> list:
    """The bytes of ``paths`` on one side, a commit's read in one batch."""
    if isinstance(side, GitTree):
        return repo.blobs([f"{side.commit}:{p}" for p in paths], limit)
    return [side.read(p, limit) for p in paths]


def git_pairs(base: str, head: Optional[str], paths: list, max_bytes: int, merge_base: bool = False) -> list:
    """Every template that differs between ``base`` and ``head`` (default:
    the working tree), limited to ``paths`` when given.  With ``merge_base``
    the old side is the merge base of ``base`` and ``head`` (or HEAD), as a
    pull request's "Files changed" shows it: what the base branch did since
    is left out."""
    repo = Repo()
    if merge_base:
        commit = repo.merge_base(base, head or "HEAD")
        old_side = GitTree(repo, commit, commit[:12])
    else:
        old_side = GitTree(repo, repo.commit(base), base)
    if head is None:
        new_side = Folder(repo.root, "")
        changes = repo.changes(old_side.commit, None, paths)
        new_raws = [new_side.read(c.new_path, max_bytes) for c in changes if c.new_path]
    else:
        new_side = GitTree(repo, repo.commit(head), head, plain=True)
        changes = repo.changes(old_side.commit, new_side.commit, paths)
        new_raws = repo.blobs([c.new_blob for c in changes if c.new_path], max_bytes)
    old_raws = iter(repo.blobs([c.old_blob for c in changes if c.old_path], max_bytes))
    new_raws = iter(new_raws)
    entries = []
    for c in changes:
        old = detect(old_side, c.old_path, next(old_raws), max_bytes) if c.old_path else None
        new = detect(new_side, c.new_path, next(new_raws), max_bytes, old) if c.new_path else None
        if not (old or new):
            continue
        entry = _Entry(c.new_path if new else c.old_path, old, new)
        if c.kind == "R" and old and new:
            entry.notes.append(f"renamed from {c.old_path}")
        entries.append(entry)
    if entries:
        changed = {c.new_path for c in changes} | {c.old_path for c in changes}
        found = [p for p in repo.nesting(new_side, paths) if p not in changed]
        olds, news = (_contents(repo, side, found, max_bytes) for side in (old_side, new_side))
        same = [(old_side, new_side, p, a) for p, a, b in zip(found, olds, news) if a is not None and a == b]
        entries += _unchanged_parents(same, max_bytes)
    return _pairs(entries, max_bytes)
