"""JSON Schemas for editors: current, accepting the example files, rejecting a misspelt key."""

import datetime as dt
import json

import jsonschema
import pytest
import yaml

from insyn.schemas import FOLDER_OF, SCHEMAS, editor_settings, schema_path, schema_text

from .conftest import ROOT


def as_json(value):
    """YAML dates reach editors as text; so they must reach the schema check."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    return value.isoformat() if isinstance(value, dt.date) else value


@pytest.mark.parametrize("name", SCHEMAS)
def test_committed_schemas_are_generated_from_the_models(name):
    assert (ROOT / schema_path(name)).read_text(encoding="utf-8") == schema_text(name)


def test_editor_settings_point_each_folder_at_its_schema():
    committed = json.loads((ROOT / ".vscode/settings.json").read_text(encoding="utf-8"))
    assert committed == editor_settings()


@pytest.mark.parametrize("name, folder", [("site", None), *FOLDER_OF.items()])
def test_every_example_file_passes_its_schema_and_a_typo_does_not(name, folder):
    schema = json.loads(schema_text(name))
    files = [ROOT / "data/site.yaml"] if folder is None else sorted((ROOT / folder).glob("*.yaml"))
    assert files
    for path in files:
        data = as_json(yaml.safe_load(path.read_text(encoding="utf-8")))
        jsonschema.validate(data, schema)
    data["titel"] = data.pop("title", "x") if "title" in data else "x"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, schema)
