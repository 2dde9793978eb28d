"""The old template: one CDK application stack, synthesized construct by
construct the way ``cdk synth`` lays it out (Lambda services with their roles
and default policies, buckets, queues, tables, security groups)."""

from __future__ import annotations

import base64
import random
import re
from dataclasses import dataclass, field
from typing import Any

STACK = "ShopStack"
CHANGE_RATIO = 0.10  # share of resources that differ between old and new
ADD_REMOVE_RATIO = 0.01  # share of resources added, and again removed

DOMAINS = (
    "Orders", "Payments", "Invoices", "Customers", "Sessions", "Inventory",
    "Shipping", "Notifications", "Audit", "Reports", "Catalog", "Search",
    "Billing", "Checkout", "Analytics", "Ingest", "Media", "Reviews",
    "Pricing", "Returns", "Loyalty", "Fraud", "Accounts", "Webhooks",
)
TEAMS = ("team-commerce", "team-platform", "team-data", "team-payments", "team-growth")
RUNTIMES = (
    ("nodejs22.x", "index.handler"),
    ("nodejs20.x", "index.handler"),
    ("python3.13", "app.handler"),
    ("python3.12", "app.lambda_handler"),
)
MEMORY_SIZES = (128, 256, 512, 768, 1024, 1536, 2048)
TIMEOUTS = (3, 10, 15, 30, 60, 120, 300)
CDK_REGIONS = (
    "af-south-1", "ap-east-1", "ap-northeast-1", "ap-northeast-2", "ap-south-1",
    "ap-southeast-1", "ap-southeast-2", "ca-central-1", "cn-north-1", "cn-northwest-1",
    "eu-central-1", "eu-north-1", "eu-south-1", "eu-west-1", "eu-west-2",
    "eu-west-3", "me-south-1", "sa-east-1", "us-east-1", "us-east-2",
)

TABLE_READ_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DescribeTable",
    "dynamodb:GetItem", "dynamodb:GetRecords", "dynamodb:GetShardIterator",
    "dynamodb:Query", "dynamodb:Scan",
)
TABLE_ACTIONS = (
    "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem", "dynamodb:DescribeTable", "dynamodb:GetItem",
    "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:PutItem",
    "dynamodb:Query", "dynamodb:Scan", "dynamodb:UpdateItem",
)
BUCKET_ACTIONS = (
    "s3:Abort*", "s3:DeleteObject*", "s3:GetBucket*", "s3:GetObject*", "s3:List*",
    "s3:PutObject", "s3:PutObjectLegalHold", "s3:PutObjectRetention",
    "s3:PutObjectTagging", "s3:PutObjectVersionTagging",
)
BUCKET_READ_ACTIONS = ("s3:GetBucket*", "s3:GetObject*", "s3:List*")
QUEUE_CONSUME_ACTIONS = (
    "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl", "sqs:ReceiveMessage",
)
QUEUE_SEND_ACTIONS = ("sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:SendMessage")

Template = dict[str, Any]


def ref(target: str) -> dict:
    return {"Ref": target}


def get_att(target: str, attribute: str) -> dict:
    return {"Fn::GetAtt": [target, attribute]}


def sub(text: str) -> dict:
    return {"Fn::Sub": text}


def managed_policy(name: str) -> dict:
    return {"Fn::Join": ["", ["arn:", ref("AWS::Partition"), f":iam::aws:policy/{name}"]]}


def statement(actions: list[str] | str, resource: Any) -> dict:
    return {"Action": actions, "Effect": "Allow", "Resource": resource}


def snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).upper()


def kebab(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@dataclass(eq=False)
class Group:
    """The resources (in template order) and outputs of one construct subtree."""

    resources: dict[str, dict] = field(default_factory=dict)
    outputs: dict[str, dict] = field(default_factory=dict)

    @property
    def ids(self) -> list[str]:
        return list(self.resources)


class StackBuilder:
    """Synthesizes construct groups the way the CDK lays them out in a template."""

    # kind: (resources, weight); each kind has a ``_<kind>_group`` method below
    GROUP_SHAPES = {"api": (5, 2), "worker": (5, 4), "storage": (5, 2), "standalone": (1, 5)}

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.used_ids: set[str] = set()
        self.name_counts: dict[str, int] = {}
        self.group_tags: dict[str, tuple[str, str]] = {}
        # data resources other services may link to: (logical id, kind, group name)
        self.shared: list[tuple[str, str, str]] = []
        self.functions: list[str] = []
        self.indexed_tables: set[str] = set()

    # -- identifiers -------------------------------------------------------

    def hex8(self) -> str:
        return f"{self.rng.getrandbits(32):08X}"

    def logical_id(self, path: list[str]) -> str:
        stem = "".join(part for part in path if part not in ("Resource", "Default"))
        while True:
            candidate = stem + self.hex8()
            if candidate not in self.used_ids:
                self.used_ids.add(candidate)
                return candidate

    def group_name(self, purpose: str) -> str:
        base = self.rng.choice(DOMAINS) + purpose
        count = self.name_counts.get(base, 0) + 1
        self.name_counts[base] = count
        return base if count == 1 else f"{base}{count}"

    def tags(self, name: str) -> list[dict]:
        """The tags the app applies to every resource of construct ``name``."""
        if name not in self.group_tags:
            self.group_tags[name] = (str(self.rng.choice((1200, 3400, 4410, 5020, 7300))), self.rng.choice(TEAMS))
        cost_center, owner = self.group_tags[name]
        return [{"Key": "CostCenter", "Value": cost_center}, {"Key": "Owner", "Value": owner}]

    def add(self, group: Group, path: list[str], type_: str, props: dict, **attributes: Any) -> str:
        logical_id = self.logical_id(path)
        resource = {"Type": type_, "Properties": props, **attributes}
        resource["Metadata"] = {"aws:cdk:path": "/".join([STACK, *path]), **resource.get("Metadata", {})}
        group.resources[logical_id] = resource
        return logical_id

    # -- groups ------------------------------------------------------------

    def group(self, budget: int, service: bool = False) -> Group:
        """One construct subtree of at most ``budget`` resources; with ``service``,
        a Lambda service rather than a lone resource whenever one fits."""
        fitting = {kind: weight for kind, (size, weight) in self.GROUP_SHAPES.items() if size <= budget}
        if service and len(fitting) > 1:
            del fitting["standalone"]
        kind = self.rng.choices(list(fitting), list(fitting.values()))[0]
        return getattr(self, f"_{kind}_group")()

    def _api_group(self) -> Group:
        group = Group()
        purpose = self.rng.choice(("Api", "Gateway", "Query", "Admin"))
        name = self.group_name(purpose)
        table = self.table(group, [name, "Table", "Resource"], name)
        sg = self.security_group(group, [name, "Handler", "SecurityGroup", "Resource"], name)
        self.function(group, name, own=[(table, "table-read" if purpose == "Query" else "table")], security_group=sg)
        group.outputs[f"{name}TableName"] = {
            "Description": f"Name of the {name} table",
            "Value": ref(table),
            "Export": {"Name": sub(f"${{AWS::StackName}}-{name}TableName")},
        }
        self.shared.append((table, "table", name))
        return group

    def _worker_group(self) -> Group:
        group = Group()
        name = self.group_name(self.rng.choice(("Worker", "Processor", "Sync", "Events")))
        dlq = self.queue(group, [name, "DeadLetterQueue", "Resource"], name, dead_letter=None)
        queue = self.queue(group, [name, "Queue", "Resource"], name, dead_letter=dlq)
        self.function(group, name, own=[(queue, "consume")], security_group=None)
        group.outputs[f"{name}QueueUrl"] = {"Value": ref(queue), "Condition": "IsProd"}
        self.shared.append((queue, "queue", name))
        return group

    def _storage_group(self) -> Group:
        group = Group()
        name = self.group_name(self.rng.choice(("Exports", "Uploads", "Archive", "Thumbnails")))
        logs = self.bucket(group, [name, "AccessLogs", "Resource"], name, access_logs=True)
        bucket = self.bucket(group, [name, "Bucket", "Resource"], name, log_bucket=logs)
        self.function(group, name, own=[(bucket, "bucket")], security_group=None)
        group.outputs[f"{name}BucketArn"] = {
            "Value": get_att(bucket, "Arn"),
            "Export": {"Name": {"Fn::Join": ["-", [ref("AWS::StackName"), f"{name}BucketArn"]]}},
        }
        self.shared.append((bucket, "bucket", name))
        return group

    def _standalone_group(self) -> Group:
        group = Group()
        kind = self.rng.choice(("AccessLogs", "EventBuffer", "Locks", "Bastion"))
        name = self.group_name(kind)
        path = [name, "Resource"]
        if kind == "AccessLogs":
            self.bucket(group, path, name, access_logs=True)
        elif kind == "EventBuffer":
            self.queue(group, path, name, dead_letter=None)
        elif kind == "Locks":
            self.table(group, path, name)
        else:
            self.security_group(group, path, name, bastion=True)
        return group

    # -- resources ---------------------------------------------------------

    def table(self, group: Group, path: list[str], name: str) -> str:
        rng = self.rng
        keys = [("pk", "S", "HASH")]
        if rng.random() < 0.7:
            keys.append(("sk", rng.choice("SN"), "RANGE"))
        attributes = [{"AttributeName": n, "AttributeType": t} for n, t, _ in keys]
        props: dict[str, Any] = {
            "KeySchema": [{"AttributeName": n, "KeyType": k} for n, _, k in keys],
            "AttributeDefinitions": attributes,
            "BillingMode": "PAY_PER_REQUEST",
        }
        if rng.random() < 0.35:
            attributes += [
                {"AttributeName": "gsi1pk", "AttributeType": "S"},
                {"AttributeName": "gsi1sk", "AttributeType": "S"},
            ]
            props["GlobalSecondaryIndexes"] = [{
                "IndexName": "gsi1",
                "KeySchema": [
                    {"AttributeName": "gsi1pk", "KeyType": "HASH"},
                    {"AttributeName": "gsi1sk", "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": rng.choice(("ALL", "KEYS_ONLY"))},
            }]
        if rng.random() < 0.3:
            set_billing(props, "PROVISIONED", capacity=rng.choice((5, 10, 25)))
        props["PointInTimeRecoverySpecification"] = {"PointInTimeRecoveryEnabled": {"Fn::If": ["IsProd", True, False]}}
        props["SSESpecification"] = {"SSEEnabled": True}
        if rng.random() < 0.3:
            props["StreamSpecification"] = {"StreamViewType": "NEW_AND_OLD_IMAGES"}
        if rng.random() < 0.5:
            props["TimeToLiveSpecification"] = {"AttributeName": "expiresAt", "Enabled": True}
        props["Tags"] = self.tags(name)
        table = self.add(group, path, "AWS::DynamoDB::Table", props,
                         UpdateReplacePolicy="Retain", DeletionPolicy="Retain")
        if "GlobalSecondaryIndexes" in props:
            self.indexed_tables.add(table)
        return table

    def bucket(self, group: Group, path: list[str], name: str, access_logs: bool = False,
               log_bucket: str | None = None) -> str:
        rng = self.rng
        if access_logs:
            rules = [{
                "ExpirationInDays": {"Fn::If": ["ExpireLogs", ref("LogRetentionDays"), 3650]},
                "Id": "ExpireAccessLogs",
                "Status": "Enabled",
            }]
        else:
            rules = [{
                "Id": "Archive",
                "NoncurrentVersionExpiration": {"NoncurrentDays": rng.choice((30, 60, 90))},
                "Status": "Enabled",
                "Transitions": [{"StorageClass": "GLACIER", "TransitionInDays": rng.choice((90, 180, 365))}],
            }]
            if rng.random() < 0.5:
                rules.insert(0, {"ExpirationInDays": rng.choice((1, 3, 7)), "Id": "ExpireTmp", "Prefix": "tmp/",
                                 "Status": "Enabled"})
        props: dict[str, Any] = {
            "BucketEncryption": {"ServerSideEncryptionConfiguration": [
                {"ServerSideEncryptionByDefault": {"SSEAlgorithm": rng.choice(("AES256", "aws:kms"))}},
            ]},
        }
        if rng.random() < 0.4:
            label = kebab("".join(part for part in path if part != "Resource"))
            props["BucketName"] = sub(f"shop-${{Env}}-{label}-${{AWS::AccountId}}")
        props["LifecycleConfiguration"] = {"Rules": rules}
        if log_bucket is not None:
            props["LoggingConfiguration"] = {"DestinationBucketName": ref(log_bucket), "LogFilePrefix": "s3/"}
        props["PublicAccessBlockConfiguration"] = {
            "BlockPublicAcls": True,
            "BlockPublicPolicy": True,
            "IgnorePublicAcls": True,
            "RestrictPublicBuckets": True,
        }
        props["VersioningConfiguration"] = {"Status": "Enabled"}
        props["Tags"] = self.tags(name)
        policy = "Retain" if access_logs or rng.random() < 0.5 else "Delete"
        return self.add(group, path, "AWS::S3::Bucket", props,
                        UpdateReplacePolicy=policy, DeletionPolicy=policy)

    def queue(self, group: Group, path: list[str], name: str, dead_letter: str | None) -> str:
        props: dict[str, Any] = {}
        if dead_letter is None:
            props["MessageRetentionPeriod"] = 1209600
        else:
            props["RedrivePolicy"] = {
                "deadLetterTargetArn": get_att(dead_letter, "Arn"),
                "maxReceiveCount": self.rng.choice((3, 5, 10)),
            }
        props["SqsManagedSseEnabled"] = True
        props["Tags"] = self.tags(name)
        props["VisibilityTimeout"] = self.rng.choice((30, 60, 180, 300, 900))
        return self.add(group, path, "AWS::SQS::Queue", props,
                        UpdateReplacePolicy="Delete", DeletionPolicy="Delete")

    def security_group(self, group: Group, path: list[str], name: str, bastion: bool = False) -> str:
        if bastion:
            description = f"{STACK}/{name}: SSH access for operators"
            ingress = [{"CidrIp": "203.0.113.0/24", "Description": "SSH from office", "FromPort": 22,
                        "IpProtocol": "tcp", "ToPort": 22}]
        else:
            description = f"Automatic security group for Lambda Function {STACK}{name}Handler"
            ingress = [{"CidrIp": "10.0.0.0/16", "Description": "HTTPS from VPC", "FromPort": 443,
                        "IpProtocol": "tcp", "ToPort": 443}]
        props = {
            "GroupDescription": description,
            "SecurityGroupEgress": [{"CidrIp": "0.0.0.0/0", "Description": "Allow all outbound traffic by default",
                                     "IpProtocol": "-1"}],
            "SecurityGroupIngress": ingress,
            "Tags": self.tags(name),
            "VpcId": ref("VpcId"),
        }
        return self.add(group, path, "AWS::EC2::SecurityGroup", props)

    def function(self, group: Group, name: str, own: list[tuple[str, str]], security_group: str | None) -> str:
        """A Lambda function with its service role and default policy."""
        rng = self.rng
        handler_path = [name, "Handler"]
        policies = [managed_policy("service-role/AWSLambdaBasicExecutionRole")]
        if security_group:
            policies.append(managed_policy("service-role/AWSLambdaVPCAccessExecutionRole"))
        role = self.add(group, [*handler_path, "ServiceRole", "Resource"], "AWS::IAM::Role", {
            "AssumeRolePolicyDocument": {
                "Statement": [{"Action": "sts:AssumeRole", "Effect": "Allow",
                               "Principal": {"Service": "lambda.amazonaws.com"}}],
                "Version": "2012-10-17",
            },
            "ManagedPolicyArns": policies,
        })

        links = list(own)
        others = [(i, k) for i, k, owner in self.shared if owner != name]
        if others and rng.random() < 0.25:
            other, kind = rng.choice(others)
            links.append((other, {"queue": "send", "table": "table-read", "bucket": "bucket-read"}[kind]))
        env: dict[str, Any] = {"SERVICE_NAME": kebab(name), "STAGE": ref("Env")}
        if rng.random() < 0.4:
            env["LOG_LEVEL"] = {"Fn::FindInMap": ["EnvConfig", ref("Env"), "LogLevel"]}
        traced = rng.random() < 0.3
        statements = [statement(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], "*")] if traced else []
        for target, kind in links:
            prefix = "" if (target, kind) in own else snake(self.owner_of(target)) + "_"
            env.update(self.env_for(target, kind, prefix))
            statements.append(self.grant(target, kind))
        if rng.random() < 0.25:
            statements.append(statement(
                ["ssm:GetParameter", "ssm:GetParameters"],
                sub("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/${Env}/"
                    f"{kebab(name)}/*"),
            ))
        runtime, handler = rng.choice(RUNTIMES)
        env.update(self.extra_env(name))
        policy_props = {
            "PolicyDocument": {"Statement": statements, "Version": "2012-10-17"},
            "PolicyName": "",
            "Roles": [ref(role)],
        }
        policy = self.add(group, [*handler_path, "ServiceRole", "DefaultPolicy", "Resource"],
                          "AWS::IAM::Policy", policy_props)
        policy_props["PolicyName"] = policy  # the CDK names default policies after their logical ID

        asset = f"{rng.getrandbits(256):064x}"
        props: dict[str, Any] = {
            "Code": {"S3Bucket": sub("cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}"), "S3Key": f"{asset}.zip"},
            "Role": get_att(role, "Arn"),
            "Environment": {"Variables": env},
            "Handler": handler,
            "MemorySize": rng.choice(MEMORY_SIZES),
            "Runtime": runtime,
            "Tags": self.tags(name),
            "Timeout": rng.choice(TIMEOUTS),
        }
        if traced:
            props["TracingConfig"] = {"Mode": "Active"}
        if rng.random() < 0.2:
            reserved = rng.choice((20, 50, 100))
            props["ReservedConcurrentExecutions"] = {"Fn::If": ["IsProd", reserved, ref("AWS::NoValue")]}
        if security_group:
            props["VpcConfig"] = {
                "SecurityGroupIds": [get_att(security_group, "GroupId")],
                "SubnetIds": ref("PrivateSubnetIds"),
            }
        function = self.add(group, [*handler_path, "Resource"], "AWS::Lambda::Function", props,
                            DependsOn=[policy, role],
                            Metadata={"aws:asset:path": f"asset.{asset}", "aws:asset:is-bundled": False,
                                      "aws:asset:property": "Code"})
        self.functions.append(function)
        return function

    def owner_of(self, target: str) -> str:
        return next(owner for i, _, owner in self.shared if i == target)

    def env_for(self, target: str, kind: str, prefix: str) -> dict:
        """Environment variables through which a function finds a linked resource."""
        if kind == "bucket":
            return {f"{prefix}BUCKET_NAME": ref(target),
                    f"{prefix}BUCKET_URL": sub(f"https://${{{target}.RegionalDomainName}}/public")}
        if kind == "bucket-read":
            return {f"{prefix}BUCKET_NAME": ref(target)}
        if kind == "consume":
            return {f"{prefix}QUEUE_ARN": get_att(target, "Arn")}
        if kind == "send":
            return {f"{prefix}QUEUE_URL": ref(target)}
        return {f"{prefix}TABLE_NAME": ref(target)}

    def grant(self, target: str, kind: str) -> dict:
        """The policy statement the CDK's ``grant*`` methods add for a link."""
        arn = get_att(target, "Arn")
        if kind in ("bucket", "bucket-read"):
            actions = BUCKET_ACTIONS if kind == "bucket" else BUCKET_READ_ACTIONS
            return statement(list(actions), [arn, {"Fn::Join": ["", [get_att(target, "Arn"), "/*"]]}])
        if kind in ("consume", "send"):
            return statement(list(QUEUE_CONSUME_ACTIONS if kind == "consume" else QUEUE_SEND_ACTIONS), arn)
        actions = TABLE_ACTIONS if kind == "table" else TABLE_READ_ACTIONS
        indexes = sub(f"${{{target}.Arn}}/index/*")
        return statement(list(actions), [arn, indexes] if target in self.indexed_tables else arn)

    def extra_env(self, name: str) -> dict:
        rng = self.rng
        env: dict[str, Any] = {}
        if rng.random() < 0.5:
            env["MAX_RETRIES"] = str(rng.choice((2, 3, 5)))
        if rng.random() < 0.3:
            env["CONFIG_PATH"] = sub(f"/${{Env}}/{kebab(name)}/config")
        if rng.random() < 0.3:
            env["DEBUG"] = {"Fn::If": ["IsNotProd", "true", "false"]}
        if rng.random() < 0.15:
            env["REGION_PREFIX"] = {"Fn::Select": [0, {"Fn::Split": ["-", ref("AWS::Region")]}]}
        if rng.random() < 0.15:
            env["ALERTS_TOPIC_ARN"] = {"Fn::ImportValue": "SharedInfra-AlertsTopicArn"}
        if rng.random() < 0.1:
            env["STACK_LABEL_B64"] = {"Fn::Base64": sub("${AWS::StackName}:${Env}")}
        if self.functions and rng.random() < 0.2:
            env["DOWNSTREAM_FUNCTION"] = ref(rng.choice(self.functions))
        return env

    def cdk_metadata(self) -> Group:
        group = Group()
        blob = base64.b64encode(self.rng.randbytes(270)).decode()
        resource = {
            "Type": "AWS::CDK::Metadata",
            "Properties": {"Analytics": f"v2:deflate64:{blob}"},
            "Metadata": {"aws:cdk:path": f"{STACK}/CDKMetadata/Default"},
            "Condition": "CDKMetadataAvailable",
        }
        group.resources["CDKMetadata"] = resource
        return group


def set_billing(props: dict, mode: str, capacity: int = 5) -> None:
    """Switch a table's billing mode, adding or dropping provisioned throughput."""
    props["BillingMode"] = mode
    for holder in [props, *props.get("GlobalSecondaryIndexes", [])]:
        if mode == "PROVISIONED":
            holder["ProvisionedThroughput"] = {"ReadCapacityUnits": capacity, "WriteCapacityUnits": capacity}
        else:
            holder.pop("ProvisionedThroughput", None)


def template_shell(resources: dict, outputs: dict) -> Template:
    """The sections ``cdk synth`` emits around the resources."""
    regions = [{"Fn::Equals": [ref("AWS::Region"), r]} for r in CDK_REGIONS]
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Description": "Shop application stack: storefront APIs, workers and data stores",
        "Parameters": {
            "Env": {"Type": "String", "Default": "prod", "AllowedValues": ["dev", "staging", "prod"],
                    "Description": "Deployment environment"},
            "VpcId": {"Type": "AWS::EC2::VPC::Id", "Default": "vpc-0a1b2c3d4e5f60718",
                      "Description": "VPC the Lambda functions attach to"},
            "PrivateSubnetIds": {"Type": "List<AWS::EC2::Subnet::Id>",
                                 "Description": "Private subnets for VPC-attached functions"},
            "LogRetentionDays": {"Type": "Number", "Default": "30", "MinValue": 0,
                                 "Description": "Days to keep access logs; 0 keeps them"},
            "BootstrapVersion": {
                "Type": "AWS::SSM::Parameter::Value<String>",
                "Default": "/cdk-bootstrap/hnb659fds/version",
                "Description": "Version of the CDK Bootstrap resources in this environment, automatically "
                               "retrieved from SSM Parameter Store. [cdk:skip]",
            },
        },
        "Conditions": {
            "IsProd": {"Fn::Equals": [ref("Env"), "prod"]},
            "IsNotProd": {"Fn::Not": [{"Condition": "IsProd"}]},
            "HasLogRetention": {"Fn::Not": [{"Fn::Equals": [ref("LogRetentionDays"), "0"]}]},
            "ExpireLogs": {"Fn::And": [{"Condition": "IsProd"}, {"Condition": "HasLogRetention"}]},
            "CDKMetadataAvailable": {"Fn::Or": [{"Fn::Or": regions[:10]}, {"Fn::Or": regions[10:]}]},
        },
        "Mappings": {
            "EnvConfig": {
                "dev": {"LogLevel": "DEBUG", "SampleRate": "1.0"},
                "staging": {"LogLevel": "INFO", "SampleRate": "0.5"},
                "prod": {"LogLevel": "WARN", "SampleRate": "0.05"},
            },
        },
        "Resources": resources,
        "Outputs": {
            **outputs,
            "PrimaryAvailabilityZone": {"Value": {"Fn::Select": [0, {"Fn::GetAZs": ""}]}},
        },
        "Rules": {
            "CheckBootstrapVersion": {
                "Assertions": [{
                    "Assert": {"Fn::Not": [{"Fn::Contains": [["1", "2", "3", "4", "5"], ref("BootstrapVersion")]}]},
                    "AssertDescription": "CDK bootstrap stack version 6 required. Please run 'cdk bootstrap' "
                                         "with a recent version of the CDK CLI.",
                }],
            },
        },
    }


def assemble(groups: list[Group]) -> Template:
    resources: dict[str, dict] = {}
    outputs: dict[str, dict] = {}
    for group in groups:
        resources.update(group.resources)
        outputs.update(group.outputs)
    return template_shell(resources, outputs)
