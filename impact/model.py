"""The typed model every stage shares.

The loader produces :class:`Template`; the differ produces :class:`Change`
objects grouped in :class:`ResourceDiff`; the classifier fills in each
change's :class:`Verdict`; the knock-on stage adds changes, the security stage
:class:`SecurityChange` rows, and the checks :class:`Finding` objects; the
renderers only read a :class:`Report`.  Nothing here computes anything beyond
small derived views.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional

# Update-behaviour labels, least to most disruptive.  ``unknown`` means no
# rule covers the change; it ranks between interruption and conditional so
# that ``--fail-on conditional`` also stops on changes nobody can vouch for.
# ``none`` is below them all and is no rule's label: the text changed, but
# what CloudFormation deploys does not (the values resolve the same, or only
# DependsOn changed); the resource is not updated.
NONE = "none"
NO_INTERRUPTION = "no-interruption"
SOME_INTERRUPTIONS = "some-interruptions"
UNKNOWN = "unknown"
CONDITIONAL = "conditional"
REPLACEMENT = "replacement"
NOT_UPDATABLE = "not-updatable"

LABELS = (NO_INTERRUPTION, SOME_INTERRUPTIONS, UNKNOWN, CONDITIONAL, REPLACEMENT, NOT_UPDATABLE)
RANK = {
    NONE: -1,
    NO_INTERRUPTION: 0,
    SOME_INTERRUPTIONS: 1,
    UNKNOWN: 2,
    CONDITIONAL: 3,
    REPLACEMENT: 4,
    NOT_UPDATABLE: 4,
}
# Labels a rule can carry (unknown is the absence of a rule).
RULE_LABELS = (NO_INTERRUPTION, SOME_INTERRUPTIONS, CONDITIONAL, REPLACEMENT, NOT_UPDATABLE)

SEVERITY_RANK = {"info": 0, "warning": 1, "error": 2}

# What --fail-on (and fail_on in .impact.yaml) accepts: a label, a finding
# severity that counts through the findings, or ``none``: never fail (so
# that the command line can override the config).
NEVER = "none"
# Exit 1 on any finding that says the change opens access.
BROADENING = "broadening"
BROADENING_FINDINGS = ("permissions-broadened", "network-broadened", "public-exposure")
FAIL_ON_LEVELS = LABELS + ("error", "warning", BROADENING, NEVER)

ADD = "add"
IMPORT = "import"  # a change set's Import: an existing resource brought under the stack, nothing created
REMOVE = "remove"
MODIFY = "modify"

# The CDK's record of which libraries built the stack: a resource to
# CloudFormation, but nothing in the account changes with it.
CDK_METADATA = "AWS::CDK::Metadata"
CDK_METADATA_NOTE = "AWS::CDK::Metadata records which CDK libraries built the stack; it changes nothing in the account"


def worst(labels, default: str = NO_INTERRUPTION) -> str:
    """The most disruptive of ``labels`` (``default`` when there are none).

    Between two labels of equal rank the later one in :data:`LABELS` wins, so
    ``not-updatable`` is reported over ``replacement``: it is the more
    specific statement.
    """
    best = None
    for label in labels:
        if best is None or RANK[label] > RANK[best] or (
            RANK[label] == RANK[best] and label != best and LABELS.index(label) > LABELS.index(best)
        ):
            best = label
    return default if best is None else best


Position = tuple  # (line, column), both 1-based


def escape(key) -> str:
    """One JSON Pointer reference token."""
    return str(key).replace("~", "~0").replace("/", "~1")


def pointer(keys) -> str:
    """``("Properties", "Tags", 0)`` -> ``/Properties/Tags/0``."""
    return "".join("/" + escape(k) for k in keys)


@dataclass(frozen=True)
class Origin:
    """Where an expanded resource comes from: the SAM resource the transform
    generated it from (``AWS::Serverless::Function``, ``OrdersFn``), or the
    ``Fn::ForEach`` loop that wrote it (``Fn::ForEach::Topics``, no ID)."""

    type: str
    logical_id: Optional[str] = None

    def __str__(self) -> str:
        return f"from {self.type} {self.logical_id}" if self.logical_id else f"from {self.type}"


@dataclass(frozen=True)
class TemplateWarning:
    """Something a reader of the template should know that is not bad input:
    CloudFormation accepts it, and impact reads it as CloudFormation does.
    ``kind`` names the case (``duplicate-key``); ``file``, ``line`` and
    ``column`` say where; ``message`` is one plain sentence."""

    kind: str
    file: str
    line: int
    column: int
    message: str
    pointer: str = ""  # JSON Pointer of what it is about: /Parameters/Env for a key given twice

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


DUPLICATE_KEY = "duplicate-key"
# A JSON template that is not valid JSON but valid YAML (a trailing comma, a
# tab inside a string): CloudFormation reads it as YAML, and so does impact.
LOOSE_JSON = "loose-json"


@dataclass
class Template:
    """A loaded template: plain data plus where each part came from."""

    path: str
    data: dict
    fmt: str  # "yaml" or "json"
    # Maps a path tuple such as ("Resources", "Bucket", "Properties", "Tags")
    # to the (line, column) of its key.  Filled by the loader.
    positions: Any = None
    # Filled by the expansion (impact/expand): the Origin of every resource a
    # transform or an Fn::ForEach loop generated, by logical ID, and the
    # parameter values the template was expanded with (given or Default).
    origins: dict = field(default_factory=dict)
    values: Optional[dict] = None
    warnings: list = field(default_factory=list)  # of TemplateWarning, in reading order

    @property
    def resources(self) -> dict:
        return self.data.get("Resources") or {}

    def position(self, path: tuple) -> Optional[Position]:
        """The (line, column) of ``path``, or of its nearest known ancestor."""
        if self.positions is None:
            return None
        return self.positions.find(path)


@dataclass
class SourceVerdict:
    """One source's word on a property: docs, schema, overlay or config."""

    source: str  # e.g. "docs-2023-09-19/aws-resource-msk-cluster.md"
    label: str
    note: Optional[str] = None
    path: Optional[str] = None  # the rule path that matched, e.g. "/BrokerNodeGroupInfo"


@dataclass
class Verdict:
    """The classifier's answer for one change."""

    label: str
    source: Optional[str] = None
    note: Optional[str] = None
    # Every source's verdict along the path, for disagreements and `rules show`.
    sources: list = field(default_factory=list)
    disagreement: bool = False
    override: Optional[str] = None  # reason from the user's config, if any
    # When the service rejects the update (a value condition): what to do
    # instead, and why it is rejected.
    rejected: Optional[str] = None
    rejected_why: Optional[str] = None
    valued: bool = False  # the values decided the label (rules/value_conditions.json)
    ruled: Optional[str] = None  # the rules' label, where :meth:`relabel` gave another

    def resolve(self, label: str, why: str, source: str, instead: Optional[str] = None) -> None:
        """The values decide: ``label`` for the reason ``why`` (from the value
        conditions table, ``source``); ``instead`` is set when the service
        rejects the update, and says what to do instead."""
        if label != self.label:
            self.note = "; ".join(x for x in (why, f"the rules say {self.label}") if x)
        else:
            self.note = why
        self.label, self.source, self.valued = label, source, True
        if instead:
            self.rejected, self.rejected_why = instead, why.split(": ", 1)[-1]

    def relabel(self, label: str, why: Optional[str] = None) -> None:
        """Give the change ``label`` instead of the rules' label, keeping the
        rules' word at the head of the note: ``the rules say X; why; ...``."""
        self.note = "; ".join(x for x in (f"the rules say {self.label}", why, self.note) if x)
        if self.ruled is None:
            self.ruled = self.label
        self.label = label


@dataclass
class Resolved:
    """What a changed value resolves to, where that is not what the text says
    (the resolve stage: parameters, conditions, mappings, intrinsic functions).

    ``changes`` is ``never`` (the text changed, the value does not), ``always``
    or ``sometimes`` (only ``when``: "when IsProd is true", "in eu-west-1",
    "if the stack uses the Default of Env").  ``before`` and ``after`` are the
    resolved values in the case shown (the given values, else the Defaults),
    None where the value is absent; ``text`` says it in one sentence for
    every report."""

    changes: str  # never | always | sometimes
    text: str
    before: Any = None
    after: Any = None
    when: Optional[str] = None


@dataclass
class Change:
    """One changed path inside one resource (or one template section)."""

    path: str  # JSON Pointer relative to the resource, e.g. /Properties/Tags/0/Value
    kind: str  # add | remove | modify
    keys: tuple = ()  # the same path as keys and list indices
    before: Any = None
    after: Any = None
    verdict: Optional[Verdict] = None
    cause: Optional[str] = None  # what set this knock-on change off: a logical ID, "Parameter X", "Condition X"
    because: Optional[str] = None  # what the cause does: "Bucket is replaced", "Parameter Env changes"
    ignored: Optional[str] = None  # reason, when the user's config ignores it
    position: Optional[Position] = None  # in the new template (the old one for removals)
    # With a change set: AWS's ResourceChangeDetails for this path, the
    # label impact predicted offline, whether the two differ on replacement,
    # and which side alone sees the change ("change set" or "template").
    changeset: list = field(default_factory=list)
    offline: Optional[str] = None
    disagrees: bool = False
    only: Optional[str] = None
    resolved: Optional[Resolved] = None  # what the values resolve to, where it differs from the text
    # Where the changed value sits in the old template when a list item on the
    # way moved (one inserted before it): ``keys`` is where it sits in the new one.
    old_keys: Optional[tuple] = None

    @property
    def impact(self) -> str:
        return self.verdict.label if self.verdict else UNKNOWN


@dataclass
class ResourceDiff:
    logical_id: str
    type: str
    action: str  # add | remove | modify
    changes: list = field(default_factory=list)
    old_type: Optional[str] = None  # set when the Type itself changed
    position: Optional[Position] = None
    construct_path: Optional[str] = None  # CDK's aws:cdk:path, when present
    ignored: Optional[str] = None  # reason, when the user's config ignores it
    origin: Optional[Origin] = None  # the SAM resource or loop it was expanded from
    # A content-hashed logical ID (a Lambda version, an API deployment) whose
    # hash changed: the old ID, and what the new one does.
    old_logical_id: Optional[str] = None
    event: Optional[str] = None
    changeset: Optional[dict] = None  # the change set's ResourceChange facts (Action, Replacement, ...)
    only: Optional[str] = None  # "change set" or "template" when only one side lists the resource
    retained: bool = False  # removed with DeletionPolicy Retain: orphaned, not deleted
    # Removed with DeletionPolicy Retain, but deleted all the same with its
    # parent, which the change deletes: the parent's logical ID.
    goes_with: Optional[str] = None
    properties: Optional[dict] = None  # an added resource's Properties: what CloudFormation creates
    unstated: bool = False  # added or imported as a change set lists it: its properties are not given
    # What the resource's Condition decides: "deleted: condition IsProd is now false",
    # "created or deleted depending on IsProd", "created only when HasBastion is true".
    exists: Optional[str] = None

    @property
    def impact(self) -> str:
        if self.action != MODIFY:
            return self.action
        return worst(c.impact for c in self.changes if not c.ignored)

    @property
    def updated(self) -> bool:
        """Whether CloudFormation acts on the resource: it is added, removed,
        or a change that counts updates it (not only ``none`` changes)."""
        return self.action != MODIFY or any(c.impact != NONE for c in self.changes if not c.ignored)


@dataclass
class Finding:
    id: str
    severity: str  # error | warning | info
    logical_id: Optional[str]
    message: str
    path: Optional[str] = None
    position: Optional[Position] = None
    # For a replaced or removed resource that holds data: what it holds
    # ("items", "objects"), and what its policy does with it.
    data: Optional[str] = None
    kept: Optional[str] = None  # one of KEPT
    renamed_from: Optional[str] = None  # a rename's old logical ID (logical_id is the new one)


# What a replaced or removed resource's UpdateReplacePolicy or DeletionPolicy
# does with it: "unknown" when the policy is set at deploy time.
KEPT = ("deleted", "retained", "snapshot", "unknown", "not-emptied")
# "not-emptied": CloudFormation deletes only an empty one (an S3 bucket): with data the deletion fails
# and the old one stays, outside the stack, with its data.

RETAIN_POLICIES = ("Retain", "RetainExceptOnCreate")


# What a security change does to who can reach what: more, less, or the
# same access moved (a grant re-pointed from one resource to another of the
# same scope, a public rule carried over by a renamed resource).
OPENS, CLOSES, MOVES = "opens", "closes", "moves"
# Its family: IAM grants, network rules, what anyone can reach, safeguards.
SECURITY_FAMILIES = ("permissions", "network", "exposure", "protection")


@dataclass
class SecurityChange:
    """One change of access: a grant, a network rule or a safeguard, added,
    removed, widened or narrowed.  ``fields`` are the columns a report shows
    (effect, principal, actions, resources, condition; or protocol, ports,
    source; or protection, before, after), each a string shown whole."""

    logical_id: str
    type: str
    family: str  # one of SECURITY_FAMILIES
    direction: str  # OPENS, CLOSES or MOVES
    change: str  # added | removed | widened | narrowed | changed | moved | relaxed | tightened
    summary: str  # one plain sentence: "grants Write and Permissions management on s3 to *"
    path: str = ""  # JSON Pointer below the resource, at the statement, rule or property
    position: Optional[Position] = None
    public: bool = False  # reachable by anyone
    admin: bool = False  # an administrator-equivalent grant
    fields: dict = field(default_factory=dict)
    when: Optional[str] = None  # the row holds only then: "when HasBastion is false" (the summary ends with it)
    routine: bool = False  # what every such resource has (a Lambda function's standard execution role): info only


@dataclass
class SectionChange:
    """A change outside Resources: Parameters, Outputs, Conditions, ..."""

    section: str
    name: Optional[str]
    path: str
    kind: str
    before: Any = None
    after: Any = None


@dataclass
class StackDiff:
    name: str
    old: Optional[str]
    new: Optional[str]
    resources: list = field(default_factory=list)  # of ResourceDiff
    findings: list = field(default_factory=list)  # of Finding
    sections: list = field(default_factory=list)  # of SectionChange
    security: list = field(default_factory=list)  # of SecurityChange
    notes: list = field(default_factory=list)  # plain statements about the stack (ignores, transforms)
    # What the loader read as CloudFormation does but a reviewer should know (a key given twice):
    # the new revision's, then the old one's not also in the new.
    warnings: list = field(default_factory=list)  # of TemplateWarning
    changeset: Optional[dict] = None  # the change set's own facts (name, status, parameters), when one is read

    def summary(self) -> dict:
        """Counts of resources per action and of changes per label.  What the
        user's config ignores is counted apart, as ``ignored``: the resources
        it ignores whole and the changes it ignores in the others.  A resource
        whose every change is ignored is not counted as modified; one whose
        changes are all ``none`` (nothing deploys differently) is counted
        apart, as ``not_updated``, and its changes are not counted.
        ``AWS::CDK::Metadata`` resources are counted apart, as ``cdk_metadata``."""
        res = {ADD: 0, IMPORT: 0, REMOVE: 0, MODIFY: 0}
        changes: dict = {}
        ignored = cdk = not_updated = 0
        for r in self.resources:
            if r.type == CDK_METADATA and r.ignored == CDK_METADATA_NOTE:
                cdk += 1
                continue
            if r.ignored:
                ignored += 1
                continue
            kept = [c for c in r.changes if not c.ignored]
            ignored += len(r.changes) - len(kept)
            if r.action != MODIFY or any(c.impact != NONE for c in kept):
                res[r.action] += 1
            elif kept:
                not_updated += 1
            for c in kept:
                if c.impact != NONE:
                    changes[c.impact] = changes.get(c.impact, 0) + 1
        if not res[IMPORT]:
            del res[IMPORT]  # only a change set imports
        out = {
            "resources": res,
            "changes": {k: changes[k] for k in sorted(changes, key=lambda k: (-RANK[k], k))},
        }
        if not_updated:
            out["not_updated"] = not_updated
        if ignored:
            out["ignored"] = ignored
        disagreements = sum(c.disagrees for r in self.resources for c in r.changes)
        if disagreements:
            out["disagreements"] = disagreements
        if cdk:
            out["cdk_metadata"] = cdk
        return out


@dataclass
class Report:
    stacks: list = field(default_factory=list)  # of StackDiff
    rules_info: dict = field(default_factory=dict)  # table provenance (sources, dates)
