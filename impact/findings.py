"""The findings impact reports about a stack, each with a one-sentence
explanation the reports show next to it."""

from __future__ import annotations

TYPE_CHANGE = "type-change"
RENAME = "rename"
CUSTOM_NAME_REPLACEMENT = "custom-name-replacement"
STATEFUL_REPLACEMENT = "stateful-replacement"
RETAINED_REMOVAL = "retained-removal"
EXPORT_CHANGED = "export-changed"
EXPORT_REMOVED = "export-removed"
NOT_UPDATABLE = "not-updatable"
AUTOSCALING_REPLACING_UPDATE = "autoscaling-replacing-update"
NO_OP_UPDATE = "no-op-update"
DANGLING_REFERENCE = "dangling-reference"

FINDING_HELP = {
    TYPE_CHANGE: (
        "CloudFormation refuses to change the Type of a logical ID; "
        "give the new resource a new logical ID instead."
    ),
    RENAME: (
        "A new logical ID is a new resource to CloudFormation: it creates the new one and deletes the old one, "
        "even when nothing else changed."
    ),
    CUSTOM_NAME_REPLACEMENT: (
        "CloudFormation creates the replacement before deleting the old resource, "
        "so a fixed physical name is still taken and the update fails."
    ),
    STATEFUL_REPLACEMENT: (
        "Replacing or removing a resource that holds data starts from an empty resource; its UpdateReplacePolicy "
        "or DeletionPolicy decides whether the old data is deleted, retained or snapshotted."
    ),
    RETAINED_REMOVAL: (
        "A resource removed with DeletionPolicy Retain stays in the account outside any stack, "
        "still running and still billed, until someone deletes it."
    ),
    EXPORT_CHANGED: "CloudFormation refuses to change an exported output's value while another stack imports it.",
    EXPORT_REMOVED: "CloudFormation refuses to remove an export while another stack imports it.",
    NOT_UPDATABLE: "The documentation says this property does not support updates: the stack update fails.",
    AUTOSCALING_REPLACING_UPDATE: (
        "With AutoScalingReplacingUpdate WillReplace, a new launch configuration, launch template or subnet list "
        "makes CloudFormation create a whole new Auto Scaling group and delete the old one."
    ),
    DANGLING_REFERENCE: (
        "CloudFormation rejects a template whose DependsOn, Ref, Fn::GetAtt or Fn::Sub names a logical ID "
        "the template does not define, such as a removed resource."
    ),
    NO_OP_UPDATE: (
        "Changes to Conditions, Mappings nothing uses, template Metadata or update and deletion policies alone "
        "update no resource, and CloudFormation rejects the update as having no changes."
    ),
}
