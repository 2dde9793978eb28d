"""What a change opens up: the security stage.

For every added, removed or edited resource of a type that carries access or
safeguards, this stage compares the old and new properties and records one
:class:`~impact.model.SecurityChange` per grant, network rule, public setting
or safeguard that changes, in ``stack.security``.  Each family has its own
function here, except IAM policies, which :mod:`impact.assess.iam` compares:

- **network**: security-group rules (inline, or as their own resources) and
  network-ACL entries, as (direction, protocol, ports, peer);
- **exposure**: settings that make a resource reachable by anyone
  (``rules/exposure.json``); ingress from ``0.0.0.0/0`` or ``::/0`` is a
  network row marked public, and a policy open to ``*`` an IAM row marked
  public (``Lambda::Permission`` included);
- **protection**: safeguards switched off or on (``rules/protections.json``),
  and a DeletionPolicy or UpdateReplacePolicy that stops or starts keeping a
  resource's data (:mod:`impact.assess.retention`).

The findings that gate on these rows are the checks ``permissions_broadened``,
``permissions_narrowed``, ``network_broadened``, ``public_exposure`` and
``protection_removed``.  Resources whose text changed are looked at, and,
with a resolution, those whose values change through a parameter, a mapping
or a condition; a replaced resource's new ID alters a value, not who may
reach it.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from itertools import chain
from typing import Optional

from ..model import ADD, CLOSES, MOVES, NONE, OPENS, REMOVE, SecurityChange, StackDiff, Template, pointer
from ..resolve.stage import BRANCHING
from ..classify.rules import RuleBook
from ..diff.sections import path_keys
from ..load.spans import resource_type
from .retention import policy_changes

SECURITY_GROUP = "AWS::EC2::SecurityGroup"
INGRESS, EGRESS = "AWS::EC2::SecurityGroupIngress", "AWS::EC2::SecurityGroupEgress"
NACL_ENTRY = "AWS::EC2::NetworkAclEntry"
NETWORK_TYPES = (SECURITY_GROUP, INGRESS, EGRESS, NACL_ENTRY)
WORLD = "the whole internet"
# Knock-on causes whose new value the resolve stage reads.
RESOLVED_CAUSES = ("Parameter ", "Mapping ", "Condition ")


def assess_security(stack: StackDiff, old: Template, new: Template, book: RuleBook, res=None, renames=()) -> None:
    """Fill ``stack.security`` from the resources whose text changed.  With a
    resolution (the resolve stage), properties are read as resolved, in every
    case the conditions and mapping keys make; a row that holds in some cases
    only says when ("when HasBastion is false").

    A resource renamed (``renames``: :mod:`impact.assess.renames`) is compared
    with what it was under its old logical ID: access it keeps is not new,
    and a public setting it carries over is said once, "still public (moved
    from X)".  A reference to a renamed resource is compared under its new
    name: a grant on the table renamed is the grant it was."""
    names = {gone.logical_id: fresh.logical_id for gone, fresh, _ in renames}
    moved = {fresh.logical_id: gone.logical_id for gone, fresh, _ in renames if _same_target(old, new, gone, fresh, names)}
    moved_from = set(moved.values())
    references = None  # what the template's references stand for, read once a policy changed
    rows: list = []
    for rd in stack.resources:
        if rd.ignored or (rd.action not in (ADD, REMOVE) and not rd.exists
                          and all(c.cause and not (res is not None and c.cause.startswith(RESOLVED_CAUSES))
                                  for c in rd.changes)):
            # A replaced resource's new ID alters a value, not who may reach it; a parameter, a mapping
            # or a condition may change what the value resolves to, and a condition whether it exists.
            continue
        if rd.old_type or (rd.action == REMOVE and rd.logical_id in moved_from):
            continue  # a Type change: CloudFormation refuses the update; a renamed one: compared below
        if all(c.impact == NONE for c in rd.changes) and rd.action not in (ADD, REMOVE):
            continue  # nothing deploys differently
        template = old if rd.action == REMOVE else new
        was = moved.get(rd.logical_id) if rd.action == ADD else None
        old_id = was or rd.old_logical_id or rd.logical_id
        old_r = old.resources.get(old_id) if rd.action != ADD or was else None
        new_r = new.resources.get(rd.logical_id) if rd.action != REMOVE else None
        if names and old_r is not None and new_r is not None:
            old_r = _renamed(old_r, names)  # what it referred to under old names, under the new ones
        egress = rd.type == EGRESS and _keeps_default_egress(template, _props(new_r if rd.action != REMOVE else old_r))
        if references is None and carries_policies(book, rd.type):
            from .iam import reference_arns  # only when a policy-bearing resource changed

            # Types are known without reading the resources (see impact/load/spans.py).
            types = {lid: resource_type(t.resources, lid) for t in (old, new) for lid in t.resources}
            references = reference_arns(types)
        how = {"default_egress": egress, "references": references}
        found = None
        if res is not None and relevant(book, rd.type):
            found = _resolved_rows(stack, rd, old_r, new_r, book, res, how)
        if found is None:
            found = list(resource_changes(book, rd.type, _props(old_r), _props(new_r), **how))
        if was:
            found += _still_public(book, rd.type, _props(new_r), found, was, how)
        if rd.action not in (ADD, REMOVE):
            found = chain(found, policy_changes(book, rd.type, old.resources.get(rd.logical_id), new.resources.get(rd.logical_id)))
        for row in found:
            row.logical_id, row.type = rd.logical_id, rd.type
            row.position = template.position(("Resources", rd.logical_id) + tuple(path_keys(row.path)))
            rows.append(row)
    order = {OPENS: 0, MOVES: 1, CLOSES: 2}
    rows.sort(key=lambda r: (order[r.direction], not r.public, not r.admin, r.routine))
    stack.security = rows


# The properties that say what a rule or a policy applies to: a renamed
# resource that now applies elsewhere is not the same access moved.
TARGETS = {INGRESS: ("GroupId", "GroupName"), EGRESS: ("GroupId",), NACL_ENTRY: ("NetworkAclId",)}


def _same_target(old: Template, new: Template, gone, fresh, names: dict) -> bool:
    keys = TARGETS.get(fresh.type, ())
    before, after = _renamed(_properties(old, gone.logical_id) or {}, names), _properties(new, fresh.logical_id) or {}
    return all(before.get(k) == after.get(k) for k in keys)


def _renamed(value, names: dict):
    """``value`` with its references (``Ref``, ``Fn::GetAtt``, ``${X}`` in
    ``Fn::Sub``) to renamed resources made references to their new names."""
    if not names:
        return value
    if isinstance(value, list):
        return [_renamed(v, names) for v in value]
    if not isinstance(value, dict):
        return value
    if len(value) == 1:
        key, arg = next(iter(value.items()))
        if key == "Ref" and isinstance(arg, str):
            return {key: names.get(arg, arg)}
        if key == "Fn::GetAtt":
            if isinstance(arg, list) and arg and isinstance(arg[0], str):
                return {key: [names.get(arg[0], arg[0])] + list(arg[1:])}
            if isinstance(arg, str):
                head, dot, tail = arg.partition(".")
                return {key: names.get(head, head) + dot + tail}
        if key == "Fn::Sub":
            text = arg if isinstance(arg, str) else arg[0] if isinstance(arg, list) and arg and isinstance(arg[0], str) else None
            if text is not None:
                text = _SUB_REFERENCE.sub(lambda m: "${" + names.get(m.group(1), m.group(1)) + (m.group(2) or "") + "}", text)
                return {key: text if isinstance(arg, str) else [text] + [_renamed(a, names) for a in arg[1:]]}
    return {k: _renamed(v, names) for k, v in value.items()}


_SUB_REFERENCE = re.compile(r"\$\{([A-Za-z0-9]+)(\.[^}]*)?\}")


def _still_public(book: RuleBook, type_name: str, after: Optional[dict], found: list, was: str, how: dict) -> list:
    """The public rows a renamed resource carries over from ``was``: public
    as it is now, with no row of the comparison that opens it anew."""
    opened = {r.path for r in found if r.public}
    out = []
    for row in resource_changes(book, type_name, None, after, **how):
        if row.public and row.path not in opened:
            out.append(_row(row.family, MOVES, "moved", f"still public (moved from {was}): {row.summary}", row.path, row.fields))
    return out


def _keeps_default_egress(template: Template, props: Optional[dict]) -> bool:
    """Whether a standalone egress rule's group has no egress rules of its
    own, and so keeps the default rule that lets all traffic out: then the
    rule lets nothing more out, nor less."""
    if not props:
        return False
    group = props.get("GroupId")
    name = None
    if isinstance(group, dict) and len(group) == 1:
        key, arg = next(iter(group.items()))
        if key == "Ref" and isinstance(arg, str):
            name = arg
        elif key == "Fn::GetAtt":
            parts = arg.split(".", 1) if isinstance(arg, str) else arg
            if isinstance(parts, list) and len(parts) == 2 and parts[1] == "GroupId":
                name = parts[0]
    resource = template.resources.get(name) if isinstance(name, str) else None
    if not isinstance(resource, dict) or resource.get("Type") != SECURITY_GROUP:
        return False
    group_props = resource.get("Properties")
    return not (isinstance(group_props, dict) and "SecurityGroupEgress" in group_props)


def relevant(book: RuleBook, type_name: str) -> bool:
    """Whether the security stage reads resources of this type."""
    if type_name in NETWORK_TYPES or book.data("protections")["types"].get(type_name):
        return True
    exposure = book.data("exposure")
    if (book.data("security").get("attribute_based_access") or {}).get("types", {}).get(type_name):
        return True
    return any(type_name in exposure[k] for k in EXPOSURE_KINDS) or carries_policies(book, type_name)


def _resolved_rows(stack: StackDiff, rd, old_r, new_r, book: RuleBook, res, how: dict) -> Optional[list]:
    """The rows of one resource (``old_r`` as it was, ``new_r`` as it is,
    None when absent) read as resolved, merged over the cases; None when its
    text has nothing to resolve (or too many cases: a note says so)."""
    if not _branches(res, old_r, new_r):
        return None  # nothing that changed branches: the rows of the text are the rows of the resolved values
    found = None
    for keys in (True, False):
        variants = res.variants(old_r, new_r, keys=keys)
        if variants is None:
            if not any(n.startswith((f"{rd.logical_id} /", f"{rd.logical_id}:")) for n in stack.notes):
                stack.notes.append(f"{rd.logical_id}: {res.why}")
            return None
        found, alike = _merge_rows(book, rd.type, res, variants, how)
        if alike:
            break
    for row, world in found:
        # The row's path as written: through the Fn::If branch taken, counting items AWS::NoValue removes.
        side, resource = (0, old_r) if row.change == "removed" or new_r is None else (1, new_r)
        written = res.written(side, resource, ["Properties", *path_keys(row.path)[1:]], world) if row.path else None
        if written is not None:
            row.path = pointer(written)
    return [row for row, _ in found]
        # A value read from a mapping by region or by a parameter differs from case to case
        # (a principal per region): one row per case says less than the lookup as written.


def _merge_rows(book: RuleBook, type_name: str, res, variants: list, how: dict) -> tuple:
    """([(row, a case it holds in)], whether each row reads alike in every
    case it holds in).  A row that holds in some cases only says when."""
    merged: dict = {}
    shapes: dict = {}
    worlds = []
    for world, before, after in variants:
        worlds.append(world)
        if before is None and after is None:
            continue
        for row in resource_changes(book, type_name, before, after, **how):
            key = (row.family, row.direction, row.change, row.summary, row.path)
            merged.setdefault(key, (row, []))[1].append(world)
            shapes.setdefault(key[:3] + key[4:], set()).add(row.summary)
    out = []
    for row, present in merged.values():
        if len(present) < len(worlds):
            absent = [w for w in worlds if not any(w is p for p in present)]
            row.when = res.when(present, absent)
            row.summary = f"{row.summary} {row.when}"
        out.append((row, present[0]))
    return out, all(len(summaries) == 1 for summaries in shapes.values())


def _branches(res, old_r, new_r) -> bool:
    """Whether the resource's rows may differ once resolved: it has a
    condition, a property whose text changed holds a branch, a lookup or a
    value given for the stack, or a property the same in both revisions reads
    a parameter whose value differs between them."""
    if any(isinstance(r, dict) and "Condition" in r for r in (old_r, new_r)):
        return True
    old_p = old_r.get("Properties") if isinstance(old_r, dict) else None
    new_p = new_r.get("Properties") if isinstance(new_r, dict) else None
    old_p, new_p = (p if isinstance(p, dict) else {} for p in (old_p, new_p))
    for key in {**old_p, **new_p}:
        a, b = old_p.get(key), new_p.get(key)
        if a != b and (res.matters(a, BRANCHING) or res.matters(b, BRANCHING)):
            return True
        if a == b and res.names and res.matters(a, ()):  # the same text, read with values that differ
            return True
    return False


def _properties(template: Template, logical_id: str) -> Optional[dict]:
    return _props(template.resources.get(logical_id))


def _props(resource) -> Optional[dict]:
    """A resource's Properties (``{}`` when it has none), None when there is no resource."""
    if not isinstance(resource, dict):
        return None
    props = resource.get("Properties")
    return props if isinstance(props, dict) else {}


def resource_changes(book: RuleBook, type_name: str, before: Optional[dict], after: Optional[dict], default_egress=False,
                     references=None):
    """Every SecurityChange between two Properties of one resource (None:
    absent).  ``default_egress``: a standalone egress rule's group keeps the
    default rule that lets all traffic out; ``references``: what the
    template's references stand for (:func:`impact.assess.iam.reference_arns`)."""
    if type_name in NETWORK_TYPES:
        yield from network_changes(type_name, before, after, default_egress)
    abac = (book.data("security").get("attribute_based_access") or {}).get("types", {}).get(type_name)
    if abac:
        yield from attribute_changes(abac, before, after)
    exposure = book.data("exposure")
    if any(type_name in exposure[k] for k in EXPOSURE_KINDS):
        yield from exposure_changes(exposure, type_name, before, after)
    protections = book.data("protections")["types"].get(type_name)
    if protections and before is not None and after is not None:
        yield from protection_changes(protections, before, after)
    if carries_policies(book, type_name):
        from . import iam  # imported only when a policy-bearing resource changed

        yield from iam.policy_changes(type_name, before, after, references=references)


POLICY_KINDS = ("documents", "permissions", "managed_policies", "boundaries", "attachments")


def carries_policies(book: RuleBook, type_name: str) -> bool:
    """Whether ``rules/policies.json`` says the type holds, names or attaches IAM policies."""
    table = book.data("policies")
    return any(type_name in (table.get(kind) or {}) for kind in POLICY_KINDS)


def _row(family: str, direction: str, change: str, summary: str, path: str, fields: dict, public=False, admin=False):
    return SecurityChange(
        logical_id="",
        type="",
        family=family,
        direction=direction,
        change=change,
        summary=summary,
        path=path,
        public=public,
        admin=admin,
        fields={k: v for k, v in fields.items() if v is not None},
    )


def shown(value) -> str:
    """A template value as a report shows it: strings as written, the rest as compact JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True, separators=(", ", ": "))


# -- network ----------------------------------------------------------------

# Peers that are address ranges of one family: whatever value one takes, the whole internet holds it.
CIDR_KEYS = ("CidrIp", "CidrIpv6", "CidrBlock", "Ipv6CidrBlock")
PROTOCOLS = {"-1": "all", "all": "all", "6": "tcp", "17": "udp", "1": "icmp", "58": "icmpv6"}
ALL_PORTS = (0, 65535)
PEERS = {
    "ingress": ("CidrIp", "CidrIpv6", "SourcePrefixListId", "SourceSecurityGroupId", "SourceSecurityGroupName"),
    "egress": ("CidrIp", "CidrIpv6", "DestinationPrefixListId", "DestinationSecurityGroupId"),
}


class Rule:
    """One network rule, normalised: formatting (``"22"`` or ``22``, ``tcp``
    or ``6``, a description) never makes two rules differ."""

    __slots__ = ("direction", "protocol", "ports", "peer_key", "peer", "allow", "index", "acl", "default")

    def __init__(self, direction, protocol, ports, peer_key, peer, allow=True, index=None, acl=False, default=False):
        self.direction, self.protocol, self.ports = direction, protocol, ports
        self.peer_key, self.peer, self.allow, self.index = peer_key, peer, allow, index
        self.acl = acl  # a network-ACL entry: stateless, and behind the security groups
        # The egress rule AWS gives a group that has none of its own: all
        # traffic to 0.0.0.0/0 (and ::/0 in a VPC with IPv6).  It is the same
        # rule as an explicit one to 0.0.0.0/0, and lets out what any egress rule does.
        self.default = default

    def key(self) -> tuple:
        network = _network(self.peer)  # 192.168.1.0/0 is 0.0.0.0/0
        peer = str(network) if network is not None else self.peer
        return (self.direction, self.protocol, self.ports, self.peer_key.replace("v6", ""), peer, self.allow)

    @property
    def world(self) -> bool:
        return _network(self.peer) is not None and _network(self.peer).prefixlen == 0

    def covers(self, other: "Rule") -> bool:
        """Whether every packet ``other`` lets through, this rule lets through too."""
        if (self.direction, self.allow) != (other.direction, other.allow):
            return False
        if self.default:
            return True
        if self.protocol != "all" and self.protocol != other.protocol:
            return False
        if isinstance(self.ports, str) or isinstance(other.ports, str):  # set at deploy time
            if self.ports != ALL_PORTS and self.ports != other.ports:
                return False
        elif self.ports is not None and (other.ports is None or not (self.ports[0] <= other.ports[0] and other.ports[1] <= self.ports[1])):
            return False
        if self.peer == other.peer or self.key()[4] == other.key()[4]:
            return True
        if self.world and self.peer_key == other.peer_key and self.peer_key in CIDR_KEYS:
            return True  # any range, even one set at deploy time, lies within the whole internet
        mine, theirs = _network(self.peer), _network(other.peer)
        return mine is not None and theirs is not None and mine.version == theirs.version and theirs.subnet_of(mine)

    def fields(self) -> dict:
        peer = self.peer + (f" ({WORLD})" if self.world else "")
        return {
            "direction": self.direction,
            "action": None if self.allow else "deny",
            "protocol": self.protocol,
            "ports": _ports_text(self.protocol, self.ports),
            ("source" if self.direction == "ingress" else "destination"): peer,
        }

    def phrase(self) -> str:
        if self.default:
            return f"the default egress rule (all traffic to {self.peer}, {WORLD})"
        ports = _ports_text(self.protocol, self.ports)
        what = "all traffic" if self.protocol == "all" else f"{self.protocol} {ports}".strip()
        side = "from" if self.direction == "ingress" else "to"
        world = f" ({WORLD})" if self.world else ""
        return f"{self.direction} {what} {side} {self.peer}{world}"


@lru_cache(maxsize=4096)
def _network(peer):
    """The network a peer names, or None (a security group, a prefix list, a Ref)."""
    if not isinstance(peer, str) or "/" not in peer or peer.startswith("{"):
        return None
    import ipaddress  # only when a rule names a CIDR

    try:
        return ipaddress.ip_network(peer, strict=False)
    except (ValueError, TypeError):
        return None


ICMP = ("icmp", "icmpv6")


def _ports_text(protocol: str, ports) -> str:
    if isinstance(ports, str):
        if protocol in ICMP:
            return f"type and code {ports} (set at deploy time)"
        return f"{'ports' if ' to ' in ports else 'port'} {ports} (set at deploy time)"
    if protocol == "all" or ports is None or ports == ALL_PORTS:
        return "all types" if protocol in ICMP else "all ports"
    low, high = ports
    if protocol in ICMP:  # (type, code) as type * 256 + code
        kind, code = divmod(low, 256)
        return f"type {kind}, all codes" if high - low == 255 else f"type {kind} code {code}"
    return f"port {low}" if low == high else f"ports {low}-{high}"


def _protocol(value) -> str:
    text = shown(value).lower()
    return PROTOCOLS.get(text, text)


def _written(value) -> str:
    """``Ref Port`` for ``{"Ref": "Port"}``; other values as :func:`shown`."""
    if isinstance(value, dict) and len(value) == 1 and isinstance(value.get("Ref"), str):
        return f"Ref {value['Ref']}"
    return shown(value)


def _port(value) -> Optional[int]:
    try:
        return int(str(value))
    except ValueError:
        return None


def _ports(protocol: str, low, high):
    """The port range, ``ALL_PORTS`` when the rule allows every port, the
    range as written when it is set at deploy time (a ``Ref``: covered only
    by every port, or by the same text).  For ICMP, ``FromPort`` is the type
    and ``ToPort`` the code (``-1``: all), the range ``type * 256 + code``."""
    if protocol == "all":
        return ALL_PORTS
    written = (_written(low) if low is not None else "", _written(high) if high is not None else "")
    low = _port(low) if low is not None else None
    high = _port(high) if high is not None else low
    if low is None or high is None:
        return written[0] if written[0] == written[1] or not written[1] else " to ".join(written)
    if low == -1 or (low, high) == (0, 65535):  # icmp: every type; tcp/udp: every port
        return ALL_PORTS
    if protocol in ICMP:
        return (low * 256, low * 256 + 255) if high == -1 else (low * 256 + high, low * 256 + high)
    return (low, high)


def _sg_rules(direction: str, items, indexed: bool = True) -> list:
    out = []
    for i, item in enumerate(items if isinstance(items, list) else []):
        if not isinstance(item, dict):
            continue
        protocol = _protocol(item.get("IpProtocol", "-1"))
        ports = _ports(protocol, item.get("FromPort"), item.get("ToPort"))
        for peer_key in PEERS[direction]:
            if peer_key in item:
                out.append(Rule(direction, protocol, ports, peer_key, shown(item[peer_key]), index=i if indexed else None))
    return out


def _nacl_rule(props: Optional[dict]) -> list:
    if not props:
        return []
    direction = "egress" if shown(props.get("Egress", "false")).lower() == "true" else "ingress"
    protocol = _protocol(props.get("Protocol", "-1"))
    span = props.get("PortRange") if isinstance(props.get("PortRange"), dict) else {}
    ports = _ports(protocol, span.get("From"), span.get("To")) if span else ALL_PORTS
    allow = shown(props.get("RuleAction", "allow")).lower() == "allow"
    peer_key = "Ipv6CidrBlock" if "Ipv6CidrBlock" in props else "CidrBlock"
    return [Rule(direction, protocol, ports, peer_key, shown(props.get(peer_key, "")), allow, acl=True)]


def _default_egress() -> Rule:
    return Rule("egress", "all", ALL_PORTS, "CidrIp", "0.0.0.0/0", default=True)


def _rules(type_name: str, props: Optional[dict]) -> list:
    if props is None:
        return []
    if type_name == SECURITY_GROUP:
        egress = _sg_rules("egress", props.get("SecurityGroupEgress")) if "SecurityGroupEgress" in props else [_default_egress()]
        return _sg_rules("ingress", props.get("SecurityGroupIngress")) + egress
    if type_name in (INGRESS, EGRESS):
        return _sg_rules("ingress" if type_name == INGRESS else "egress", [props], indexed=False)
    return _nacl_rule(props)


def _rule_path(type_name: str, rule: Rule) -> str:
    if rule.default:
        return "/Properties"
    if rule.index is None:
        return "/Properties"
    prop = "SecurityGroupIngress" if rule.direction == "ingress" else "SecurityGroupEgress"
    return f"/Properties/{prop}/{rule.index}"


def network_changes(type_name: str, before: Optional[dict], after: Optional[dict], default_egress: bool = False):
    """Rules added, removed, widened or narrowed.  An allow rule lets traffic
    in; a network-ACL deny rule keeps it out, so adding a deny closes and
    removing one opens.  A rule covered by a rule that stays is no change.

    A group with no egress rule has the default one, which lets all traffic
    out: an explicit rule to ``0.0.0.0/0`` for all traffic is that rule, and
    no egress rule can let out more.  So a new or removed group's egress is
    no change, nor is a standalone egress rule of a group that keeps the
    default (``default_egress``); removing a group's last egress rule brings
    the default back, and giving a group its first one takes it away."""
    if default_egress:
        return
    old, new = _rules(type_name, before), _rules(type_name, after)
    if type_name == SECURITY_GROUP and (before is None or after is None):
        old, new = [r for r in old if r.direction != "egress"], [r for r in new if r.direction != "egress"]
    old_keys, new_keys = {r.key() for r in old}, {r.key() for r in new}
    added = [r for r in new if r.key() not in old_keys]
    removed = [r for r in old if r.key() not in new_keys]
    paired: set = set()

    def counterpart(rule: Rule, wider: bool):
        """The removed rule this one replaces: one it covers (``wider``), or one that covers it."""
        for r in removed:
            if id(r) not in paired and (rule.covers(r) if wider else r.covers(rule)):
                paired.add(id(r))
                return r
        return None

    for rule in added:
        path = _rule_path(type_name, rule)
        if any(r.covers(rule) for r in old):  # nothing new gets through
            was = counterpart(rule, wider=False)
            if was is not None:
                yield _network_row(rule, was, path, narrowed=True)
            continue
        yield _network_row(rule, counterpart(rule, wider=True), path)
    for rule in removed:
        if id(rule) in paired or any(r.covers(rule) for r in new):
            continue
        yield _network_row(None, rule, _rule_path(type_name, rule))


def _network_row(rule: Optional[Rule], was: Optional[Rule], path: str, narrowed: bool = False) -> SecurityChange:
    current = rule or was
    # More traffic gets through when an allow rule is added or widened, or a deny rule removed or narrowed.
    opens = (rule is not None and not narrowed) == current.allow
    if rule is None:
        change, summary = "removed", f"removes the {'deny' if not was.allow else 'allow'} rule {was.phrase()}"
    elif was is None:
        change, summary = "added", f"{'allows' if rule.allow else 'denies'} {rule.phrase()}"
    else:
        change = "narrowed" if narrowed else "widened"
        summary = f"{'narrows' if narrowed else 'widens'} {was.phrase()} to {rule.phrase()}"
    fields = current.fields()
    if rule is not None and was is not None:
        fields["before"] = was.phrase()
    public = opens and current.allow and current.direction == "ingress" and current.world and not current.acl
    return _row("network", OPENS if opens else CLOSES, change, summary, path, fields, public=public)


# -- exposure ---------------------------------------------------------------

EXPOSURE_KINDS = ("publicly_accessible", "public_acls", "public_access_blocks", "function_urls")


def _at(props: Optional[dict], path: str):
    value = props
    for key in path_keys(path):
        if not isinstance(value, dict) or key not in value:
            return None
        value = value[key]
    return value


def _text(value) -> str:
    return "" if value is None else shown(value)


def _public_settings(exposure: dict, type_name: str, props: Optional[dict]) -> dict:
    """``{path: (what it opens, what undoing it closes, fields)}``: the
    settings in ``props`` that make the resource reachable by anyone."""
    out: dict = {}
    if props is None:
        return out
    entry = exposure["publicly_accessible"].get(type_name)
    if entry and _text(_at(props, entry["path"])).lower() == "true":
        out[entry["path"]] = (
            "becomes publicly accessible: it gets an address anyone on the internet can reach",
            "is no longer publicly accessible",
            {"setting": "PubliclyAccessible true"},
        )
    entry = exposure["public_acls"].get(type_name)
    acl = _text(_at(props, entry["path"])) if entry else ""
    if entry and acl in entry["values"]:
        who = "any AWS account" if acl == "AuthenticatedRead" else "anyone"
        out[entry["path"]] = (f"gets the canned ACL {acl}: {who} can read it", f"drops the canned ACL {acl}", {"acl": acl})
    entry = exposure["function_urls"].get(type_name)
    if entry and _text(_at(props, entry["path"])).upper() == entry["public"]:
        out[entry["path"]] = (
            "has AuthType NONE: anyone can invoke the function through its URL",
            "no longer lets anyone invoke the function through its URL",
            {"auth type": "NONE"},
        )
    return out


def _blocks(entry: dict, props: Optional[dict], absent: bool) -> dict:
    """Each public-access-block flag's state: True (blocks), False, or None
    (set at deploy time); ``absent`` when the configuration is not set."""
    config = _at(props, entry["path"]) if props is not None else None
    if config is None:
        return {flag: absent for flag in entry["flags"]}
    if not isinstance(config, dict):
        return {flag: None for flag in entry["flags"]}
    return {
        flag: None if isinstance(config.get(flag), dict) else _text(config.get(flag)).lower() == "true"
        for flag in entry["flags"]
    }


def exposure_changes(exposure: dict, type_name: str, before: Optional[dict], after: Optional[dict]):
    old, new = _public_settings(exposure, type_name, before), _public_settings(exposure, type_name, after)
    for path, (opens, _, fields) in new.items():
        if path not in old:
            yield _row("exposure", OPENS, "added", opens, "/Properties" + path, fields, public=True)
    for path, (_, closes, fields) in old.items():
        if path not in new:
            yield _row("exposure", CLOSES, "removed", closes, "/Properties" + path, fields)
    entry = exposure["public_access_blocks"].get(type_name)
    if entry and after is not None:
        # S3 blocks public access on new buckets and access points: a block
        # that was never set is on, and one removed from the template is off.
        never_set = before is None or _at(before, entry["path"]) is None
        was = _blocks(entry, before, True)
        now = _blocks(entry, after, never_set)
        off = [f for f in entry["flags"] if was.get(f) is True and now.get(f) is not True]
        on = [f for f in entry["flags"] if was.get(f) is False and now.get(f) is True]
        path = "/Properties" + entry["path"]
        if off:
            unsure = [f for f in off if now.get(f) is None]
            how = "set at deploy time" if unsure and len(unsure) == len(off) else "turned off"
            yield _row(
                "exposure",
                OPENS,
                "relaxed",
                f"has its public access block {how} for {', '.join(off)}: a bucket policy or ACL can then make it public",
                path,
                {"flags": ", ".join(off)},
                public=True,
            )
        if on:
            yield _row("exposure", CLOSES, "tightened", f"turns on the public access block's {', '.join(on)}", path, {"flags": ", ".join(on)})


# -- attribute-based access ------------------------------------------------


def _attributes(entry: dict, props: Optional[dict]) -> dict:
    """``{(key, sources): path}``: the attributes an access-control
    configuration lets permission-set policies match on."""
    out: dict = {}
    if not props:
        return out
    for pointer in entry["attributes"]:
        items = _at(props, pointer)
        for i, item in enumerate(items if isinstance(items, list) else [items] if items is not None else []):
            if isinstance(item, dict) and "Key" in item:
                value = item.get("Value")
                sources = _at(value, "/Source") if isinstance(value, dict) else value
                sources = ", ".join(_text(x) for x in sources) if isinstance(sources, list) else _text(sources)
                out.setdefault((_text(item.get("Key")), sources), f"/Properties{pointer}/{i}")
            else:
                out.setdefault((_text(item), ""), f"/Properties{pointer}/{i}")
    return out


def attribute_changes(entry: dict, before: Optional[dict], after: Optional[dict]):
    """Attribute-based access control (IAM Identity Center): each attribute
    added lets permission-set policies grant on it (``aws:PrincipalTag/<key>``),
    so it opens access; each removed closes it."""
    old, new = _attributes(entry, before), _attributes(entry, after)
    instance = _text(_at(after or before, entry["instance"])) if entry.get("instance") else ""
    where = f" of {instance}" if instance else ""
    for (key, sources), path in new.items():
        if (key, sources) not in old:
            fields = {"attribute": key, "sources": sources or None, "instance": instance or None}
            yield _row("permissions", OPENS, "added",
                       f"lets permission-set policies{where} match on the attribute {key} (aws:PrincipalTag/{key})"
                       + (f", from {sources}" if sources else ""), path, fields)
    for (key, sources), path in old.items():
        if (key, sources) not in new:
            fields = {"attribute": key, "sources": sources or None, "instance": instance or None}
            yield _row("permissions", CLOSES, "removed",
                       f"no longer lets permission-set policies{where} match on the attribute {key}", path, fields)


# -- protections ------------------------------------------------------------


def _pick(props: dict, path: str):
    """The value at ``path``, where a key ``Name[Key=k]`` picks the element
    of list ``Name`` whose ``Key`` is ``k``; ``_ABSENT`` when not there."""
    value = props
    for key in path_keys(path):
        if key.endswith("]") and "[" in key:
            name, _, sel = key[:-1].partition("[")
            field_name, _, wanted = sel.partition("=")
            items = value.get(name) if isinstance(value, dict) else None
            value = next(
                (i for i in items if isinstance(i, dict) and _text(i.get(field_name)) == wanted), _ABSENT
            ) if isinstance(items, list) else _ABSENT
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return _ABSENT
        if value is _ABSENT:
            return _ABSENT
    return value


_ABSENT = object()


def _state(entry: dict, value) -> Optional[str]:
    """``on``, ``off``, or ``None`` when the value is set at deploy time."""
    if value is _ABSENT or value is None:
        return entry["absent"]
    on = entry["on"]
    if isinstance(value, dict) and len(value) == 1 and next(iter(value)).startswith(("Ref", "Fn::")):
        # A setting that only has to be there is there whatever a Ref gives (a parameter, a resource's
        # name); an Fn::If may leave it out.
        function, arg = next(iter(value.items()))
        present = function != "Fn::If" and arg != "AWS::NoValue"
        return "on" if "present" in on and present else None
    if "present" in on:
        return "on"
    text = _text(value).lower()
    if text.startswith("{{resolve:"):
        return None  # a dynamic reference, read at deploy time
    if "equals" in on:
        return "on" if text in on["equals"] else "off"
    return "off" if text in on["not_equals"] else "on"


def _property_path(path: str) -> str:
    """``/LoadBalancerAttributes[Key=x]/Value`` -> ``/Properties/LoadBalancerAttributes``."""
    keys = []
    for key in path_keys(path):
        keys.append(key.partition("[")[0])
        if "[" in key:
            break
    return "/Properties/" + "/".join(keys)


def protection_changes(entries: dict, before: dict, after: dict):
    for path, entry in entries.items():
        old_value, new_value = _pick(before, path), _pick(after, path)
        was, now = _state(entry, old_value), _state(entry, new_value)
        if was == now:
            continue
        shown_old = "(not set)" if old_value is _ABSENT else _text(old_value)
        shown_new = "(not set)" if new_value is _ABSENT else _text(new_value)
        fields = {"protection": entry["protection"], "before": shown_old, "after": shown_new}
        if entry.get("note"):
            fields["note"] = entry["note"]
        if was == "on" and now != "on":
            how = "switches off" if now == "off" else "leaves to deploy time, where it may be off,"
            summary = f"{how} {entry['protection']} ({_describe(path, shown_old, shown_new)})"
            yield _row("protection", OPENS, "removed", summary, _property_path(path), fields)
        elif now == "on" and was == "off":
            summary = f"switches on {entry['protection']} ({_describe(path, shown_old, shown_new)})"
            yield _row("protection", CLOSES, "added", summary, _property_path(path), fields)


def _describe(path: str, before: str, after: str) -> str:
    return f"{path.lstrip('/')}: {before} → {after}"
