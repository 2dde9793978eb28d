"""The doc-page parser and the docs layer of the rules table."""

from __future__ import annotations

from pathlib import Path

import pytest

from impact.build.docs import build_docs_layer
from impact.build.docparser import NO_UPDATE_INFO, html_to_markdown, is_html, parse_page
from impact.model import RULE_LABELS
from impact.paths import read_json

SHARED = Path(__file__).resolve().parents[2] / "shared"
DOC_SOURCE = SHARED / "cfn-docs" / "doc_source"
SEED = SHARED / "seeds" / "000_e7fefd0b679791cb.txt"
TABLE = Path(__file__).resolve().parents[1] / "rules" / "docs"

BEHAVIOUR = "https://example.invalid/guide/using-cfn-updating-stacks-update-behaviors.html"

# Invented pages, in the layout of the User Guide's markdown sources.
WIDGET_PAGE = f"""# AWS::Toy::Widget<a name="aws-resource-toy-widget"></a>

Makes a pretend widget\\.

## Syntax<a name="aws-resource-toy-widget-syntax"></a>

### JSON<a name="aws-resource-toy-widget-syntax.json"></a>

```
{{
  "Type" : "AWS::Toy::Widget",
  "Properties" : {{
      "[Colour](#cfn-toy-widget-colour)" : String
    }}
}}
```

## Properties<a name="aws-resource-toy-widget-properties"></a>

`Colour`  <a name="cfn-toy-widget-colour"></a>
The paint on the widget\\. Use a name such as `sky-blue`\\.  
*Required*: Yes  
*Type*: String  
*Allowed values*: `RED | GREEN | SKY_BLUE`  
*Minimum*: `1`  
*Maximum*: `64`  
*Pattern*: `^[A-Z_\\-]+$`  
*Update requires*: [No interruption]({BEHAVIOUR}#update-no-interrupt)

`Gears`  <a name="cfn-toy-widget-gears"></a>
The gears inside\\.  
*Required*: No  
*Type*: List of [Gear](aws-properties-toy-widget-gear.md)  
*Update requires*: [Replacement](using-cfn-updating-stacks-update-behaviors.md#update-replacement)

   `Handle`  <a name="cfn-toy-widget-handle"></a>
   The handle \\(left or right\\)\\.  
   *Required*: Conditional\\. Only when the widget is portable\\.  
   *Type*: String  
   Update requires: [Some interruptions]({BEHAVIOUR}#update-some-interrupt)

`Serial`  <a name="cfn-toy-widget-serial"></a>
Stamped at the factory\\.  
*Required*: No  
*Type*: String  
*Length Constraints*: Minimum length of 3\\. Maximum length of 12\\.  
*Update requires*: Updates are not supported\\.

`Shape`  <a name="cfn-toy-widget-shape"></a>
How the widget looks from above\\. Round widgets roll\\.  
If you change a square widget to a round one, the update requires [replacement]({BEHAVIOUR}#update-replacement)\\.  
*Required*: No  
*Type*: String

`Sticker`  <a name="cfn-toy-widget-sticker"></a>
A sticker on the lid\\.  
*Required*: No  
*Type*: Map of String

`Volume`  <a name="cfn-toy-widget-volume"></a>
How loud it squeaks\\.  
*Required*: No  
*Type*: Integer  
*Valid Values*: LOW \\| HIGH\\_PITCH  
*Update requires:* No interruption

## Return values<a name="aws-resource-toy-widget-return-values"></a>

### Fn::GetAtt<a name="aws-resource-toy-widget-return-values-fn--getatt"></a>

`Arn`  <a name="Arn-fn::getatt"></a>
The widget's ARN\\.  
*Update requires*: [Replacement]({BEHAVIOUR}#update-replacement)
"""

GEAR_PAGE = f"""# AWS::Toy::Widget Gear<a name="aws-properties-toy-widget-gear"></a>

## Properties<a name="aws-properties-toy-widget-gear-properties"></a>

`Teeth`  <a name="cfn-toy-widget-gear-teeth"></a>
*Required*: Yes  
*Type*: Integer  
*Update requires*: [No interruption]({BEHAVIOUR}#update-no-interrupt)

`Axle`  <a name="cfn-toy-widget-gear-axle"></a>
*Required*: No  
*Type*: [Axle](aws-properties-toy-widget-axle.md)  
*Update requires*: [Some interruptions]({BEHAVIOUR}#update-some-interrupt)
"""

# Axle links back to Gear and to itself: the links form cycles.
AXLE_PAGE = f"""# AWS::Toy::Widget Axle<a name="aws-properties-toy-widget-axle"></a>

## Properties<a name="aws-properties-toy-widget-axle-properties"></a>

`Spare`  <a name="cfn-toy-widget-axle-spare"></a>
*Required*: No  
*Type*: [Axle](#aws-properties-toy-widget-axle)  
*Update requires*: [Replacement]({BEHAVIOUR}#update-replacement)

`Driven`  <a name="cfn-toy-widget-axle-driven"></a>
*Required*: No  
*Type*: List of [Gear](aws-properties-toy-widget-gear.md)  
*Update requires*: [No interruption]({BEHAVIOUR}#update-no-interrupt)
"""

# A later revision of the Widget page, rendered to HTML: Shape is gone, Motor is new.
WIDGET_HTML = f"""<h1>AWS::Toy::Widget<a name="aws-resource-toy-widget"></a></h1>

<h2>Syntax<a name="aws-resource-toy-widget-syntax"></a></h2>

<p><code>
{{
  "Type" : "AWS::Toy::Widget"
}}
</code></p>

<h2>Properties<a name="aws-resource-toy-widget-properties"></a></h2>

<p><code>Colour</code>  <a name="cfn-toy-widget-colour"></a>
The paint &amp; its finish.<br />
<em>Required</em>: No<br />
<em>Type</em>: String<br />
<em>Allowed values</em>: <code>R&amp;D | LAB</code><br />
<em>Update requires</em>: <a href="{BEHAVIOUR}#update-replacement">Replacement</a></p>

<p><code>Motor</code>  <a name="cfn-toy-widget-motor"></a>
The motor.<br />
<em>Required</em>: Yes<br />
<em>Type</em>: List of <a href="aws-properties-toy-widget-gear.md">Gear</a><br />
<em>Update requires</em>: <a href="{BEHAVIOUR}#update-no-interrupt">No interruption</a></p>

<h2>Return values<a name="aws-resource-toy-widget-return-values"></a></h2>

<p><code>Arn</code>  <a name="Arn-fn::getatt"></a>
<em>Update requires</em>: <a href="{BEHAVIOUR}#update-replacement">Replacement</a></p>
"""


@pytest.fixture
def snapshot(tmp_path: Path) -> Path:
    src = tmp_path / "cfn-docs" / "doc_source"
    src.mkdir(parents=True)
    (src / "aws-resource-toy-widget.md").write_text(WIDGET_PAGE)
    (src / "aws-properties-toy-widget-gear.md").write_text(GEAR_PAGE)
    (src / "aws-properties-toy-widget-axle.md").write_text(AXLE_PAGE)
    return src


# --- one page ---------------------------------------------------------------


def test_markdown_page_facts():
    page = parse_page(WIDGET_PAGE, "aws-resource-toy-widget.md")
    assert page.name == "aws-resource-toy-widget.md"
    assert page.resource_type == "AWS::Toy::Widget"
    props = page.properties
    assert list(props) == ["Colour", "Gears", "Handle", "Serial", "Shape", "Sticker", "Volume"]
    assert props["Colour"] == {
        "label": "no-interruption",
        "required": True,
        "type": "String",
        "constraints": {"allowed": ["RED", "GREEN", "SKY_BLUE"], "min": 1, "max": 64, "pattern": "^[A-Z_\\-]+$"},
    }
    assert props["Gears"] == {
        "label": "replacement",
        "required": False,
        "type": "List of Gear",
        "ref": "aws-properties-toy-widget-gear",
    }
    assert props["Handle"] == {"label": "some-interruptions", "required": "conditional", "type": "String"}
    assert props["Serial"]["label"] == "not-updatable"
    assert props["Serial"]["constraints"] == {"min": 3, "max": 12}
    assert props["Volume"]["label"] == "no-interruption"
    assert props["Volume"]["constraints"] == {"allowed": ["LOW", "HIGH_PITCH"]}
    assert "Arn" not in props


def test_free_text_update_condition_becomes_conditional_with_only_that_sentence():
    shape = parse_page(WIDGET_PAGE, "w.md").properties["Shape"]
    assert shape["label"] == "conditional"
    assert shape["note"] == "If you change a square widget to a round one, the update requires replacement."


def test_property_without_update_information_is_kept_as_conditional():
    sticker = parse_page(WIDGET_PAGE, "w.md").properties["Sticker"]
    assert sticker == {"label": "conditional", "note": NO_UPDATE_INFO, "required": False, "type": "Map of String"}


def test_free_text_condition_is_kept_beside_a_structured_label():
    page = WIDGET_PAGE.replace(
        "*Type*: Map of String",
        "If you peel it off, the update requires some interruptions\\.  \n*Type*: Map of String  \n"
        f"*Update requires*: [Replacement]({BEHAVIOUR}#update-replacement)",
    )
    sticker = parse_page(page, "w.md").properties["Sticker"]
    # The structured label stands when it is already the more disruptive one.
    assert sticker["label"] == "replacement"
    assert sticker["note"] == "If you peel it off, the update requires some interruptions."


def test_a_stated_replacement_condition_makes_a_milder_label_conditional():
    page = WIDGET_PAGE.replace(
        "*Type*: Map of String",
        "*Type*: Map of String  \n"
        f"*Update requires*: [Some interruptions]({BEHAVIOUR}#update-some-interrupt)\\. Replacement if you swap the backing\\.",
    )
    sticker = parse_page(page, "w.md").properties["Sticker"]
    assert sticker["label"] == "conditional"
    assert sticker["note"] == "Replacement if you swap the backing."


def test_property_type_page_has_no_resource_type_and_self_links_resolve_to_a_stem():
    axle = parse_page(AXLE_PAGE, "aws-properties-toy-widget-axle.md")
    assert axle.resource_type is None
    assert axle.properties["Spare"]["ref"] == "aws-properties-toy-widget-axle"


def test_html_rendering_is_detected_by_content_and_parsed_the_same_way():
    assert is_html(WIDGET_HTML) and not is_html(WIDGET_PAGE)
    assert "## Properties" in html_to_markdown(WIDGET_HTML)
    page = parse_page(WIDGET_HTML, "later.txt")
    assert page.resource_type == "AWS::Toy::Widget"
    assert list(page.properties) == ["Colour", "Motor"]
    assert page.properties["Colour"] == {
        "label": "replacement",
        "required": False,
        "type": "String",
        "constraints": {"allowed": ["R&D", "LAB"]},
    }
    assert page.properties["Motor"]["ref"] == "aws-properties-toy-widget-gear"


# --- the layer ----------------------------------------------------------------


def test_build_follows_type_links_through_cycles(snapshot: Path, tmp_path: Path):
    out = tmp_path / "docs"
    out.mkdir()
    (out / "AWS-Gone-Away.json").write_text("{}")
    result = build_docs_layer(snapshot.parent, out, source="snap-1")  # the folder above doc_source
    assert {k: result[k] for k in ("source", "types", "rules", "pages")} == {
        "source": "snap-1", "types": 1, "rules": 11, "pages": 3,
    }
    assert read_json(out / "_meta.json") == {"source": "snap-1", "types": 1, "rules": 11, "pages": 3}
    assert sorted(p.name for p in out.glob("*.json")) == ["AWS-Toy-Widget.json", "_meta.json"]

    table = read_json(out / "AWS-Toy-Widget.json")
    assert table["type"] == "AWS::Toy::Widget"
    assert table["page"] == "aws-resource-toy-widget.md"
    assert table["source"] == "snap-1"
    assert set(table["property_types"]) == {"aws-properties-toy-widget-gear", "aws-properties-toy-widget-axle"}
    gear = table["property_types"]["aws-properties-toy-widget-gear"]
    assert gear["Axle"]["label"] == "some-interruptions"
    assert gear["Axle"]["source"] == "snap-1/aws-properties-toy-widget-gear.md"
    assert table["properties"]["Colour"]["source"] == "snap-1/aws-resource-toy-widget.md"


def test_links_to_pages_without_update_facts_are_dropped(snapshot: Path, tmp_path: Path):
    (snapshot / "aws-properties-toy-widget-gear.md").write_text("# AWS::Toy::Widget Gear\n\nA list of teeth\\.\n")
    build_docs_layer(snapshot, tmp_path / "docs")
    table = read_json(tmp_path / "docs" / "AWS-Toy-Widget.json")
    assert "ref" not in table["properties"]["Gears"]
    assert table["property_types"] == {}


def test_extra_page_replaces_the_snapshot_page_of_its_type(snapshot: Path, tmp_path: Path):
    extra = tmp_path / "later.txt"
    extra.write_text(WIDGET_HTML)
    result = build_docs_layer(snapshot, tmp_path / "docs", [extra], source="snap-1")
    assert result["pages"] == 4
    table = read_json(tmp_path / "docs" / "AWS-Toy-Widget.json")
    assert table["page"] == "later.txt"
    assert set(table["properties"]) == {"Colour", "Motor"}
    assert table["properties"]["Colour"]["label"] == "replacement"
    assert table["properties"]["Motor"]["source"] == "snap-1/later.txt"
    # Its links resolve against the snapshot.
    assert set(table["property_types"]) == {"aws-properties-toy-widget-gear", "aws-properties-toy-widget-axle"}


# --- the real pages -------------------------------------------------------------

needs_shared = pytest.mark.skipif(not DOC_SOURCE.is_dir() or not SEED.is_file(), reason="../shared is absent")

SEED_REPLACEMENT = {
    "ClientToken", "Domain", "DriftCheckBaselines", "InferenceSpecification", "MetadataProperties", "ModelMetrics",
    "ModelPackageDescription", "ModelPackageGroupName", "SamplePayloadUrl", "SourceAlgorithmSpecification", "Task",
    "ValidationSpecification",
}
SEED_NO_INTERRUPTION = {
    "AdditionalInferenceSpecificationDefinition", "AdditionalInferenceSpecifications",
    "AdditionalInferenceSpecificationsToAdd", "ApprovalDescription", "CertifyForMarketplace", "CreatedBy",
    "CustomerMetadataProperties", "Environment", "LastModifiedBy", "LastModifiedTime", "ModelApprovalStatus",
    "ModelPackageName", "ModelPackageStatusDetails", "ModelPackageStatusItem", "ModelPackageVersion", "Tags",
}


def _split(properties: dict) -> dict:
    out: dict = {}
    for name, rule in properties.items():
        out.setdefault(rule["label"], set()).add(name)
    return out


@needs_shared
def test_seed_page():
    page = parse_page(SEED.read_text(encoding="utf-8"), SEED.name)
    assert page.resource_type == "AWS::SageMaker::ModelPackage"
    assert len(page.properties) == 28
    assert _split(page.properties) == {"replacement": SEED_REPLACEMENT, "no-interruption": SEED_NO_INTERRUPTION}


@needs_shared
@pytest.mark.parametrize(
    "page, prop, label",
    [
        ("aws-properties-msk-cluster-brokernodegroupinfo.md", "ClientSubnets", "replacement"),
        ("aws-properties-route53-healthcheck-healthcheckconfig.md", "Type", "replacement"),
        ("aws-properties-ec2-instance.md", "InstanceType", "some-interruptions"),
        ("aws-resource-rds-dbinstance.md", "DBInstanceClass", "some-interruptions"),
        ("aws-resource-lambda-function.md", "MemorySize", "no-interruption"),
    ],
)
def test_known_labels_on_real_pages(page: str, prop: str, label: str):
    facts = parse_page((DOC_SOURCE / page).read_text(encoding="utf-8"), page)
    assert facts.properties[prop]["label"] == label


@needs_shared
def test_real_pages_name_their_type():
    ec2 = parse_page((DOC_SOURCE / "aws-properties-ec2-instance.md").read_text(encoding="utf-8"), "x.md")
    assert ec2.resource_type == "AWS::EC2::Instance"
    cluster = parse_page((DOC_SOURCE / "aws-resource-msk-cluster.md").read_text(encoding="utf-8"), "x.md")
    assert cluster.resource_type == "AWS::MSK::Cluster"
    assert cluster.properties["BrokerNodeGroupInfo"]["ref"] == "aws-properties-msk-cluster-brokernodegroupinfo"


# --- the committed table ----------------------------------------------------------


@pytest.fixture(scope="module")
def committed() -> dict:
    assert (TABLE / "_meta.json").is_file(), "rules/docs is missing: build it with build_docs_layer"
    return {p.name: read_json(p) for p in TABLE.glob("*.json") if not p.name.startswith("_")}


def test_committed_table_has_the_seed_model_package(committed: dict):
    table = committed["AWS-SageMaker-ModelPackage.json"]
    assert table["page"] == SEED.name
    assert _split(table["properties"]) == {"replacement": SEED_REPLACEMENT, "no-interruption": SEED_NO_INTERRUPTION}
    assert {r["source"] for r in table["properties"].values()} == {f"docs-2023-09-19/{SEED.name}"}


def test_committed_table_rules_are_well_formed(committed: dict):
    assert len(committed) > 1100
    meta = read_json(TABLE / "_meta.json")
    assert meta["types"] == len(committed) and meta["source"] == "docs-2023-09-19"
    count = 0
    for table in committed.values():
        groups = [table["properties"], *table["property_types"].values()]
        for rules in groups:
            for rule in rules.values():
                count += 1
                assert rule["label"] in RULE_LABELS
                assert rule["source"].startswith("docs-2023-09-19/")
                if rule["label"] == "conditional":
                    assert rule["note"]
                assert "ref" not in rule or rule["ref"] in table["property_types"]
    assert count == meta["rules"]
