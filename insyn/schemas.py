"""JSON Schemas for every kind of input file, generated from the models the build validates with.

Editors use them to validate and complete while typing (see .vscode/settings.json); the build
publishes them under schemas/ on the site, beside the open data.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel

from .models import Agreement, EstArea, FollowUp, Indicator, PageFrontMatter, Promise, SiteConfig

SCHEMAS: dict[str, type[BaseModel]] = {
    "site": SiteConfig,
    "agreement": Agreement,
    "promise": Promise,
    "follow-up": FollowUp,
    "indicator": Indicator,
    "est-area": EstArea,
    "page": PageFrontMatter,
}
"""Schema name -> model. The files are schemas/<name>.schema.json."""

FOLDER_OF = {
    "agreement": "data/agreements", "promise": "data/promises", "follow-up": "data/follow-ups",
    "indicator": "data/indicators", "est-area": "data/est",
}


def schema_text(name: str) -> str:
    schema = SCHEMAS[name].model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = f"{name}.schema.json"
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def schema_path(name: str) -> str:
    return f"schemas/{name}.schema.json"


def write_schemas(root: Path) -> list[Path]:
    """Write every schema under root/schemas/; returns the files written."""
    written = []
    for name in SCHEMAS:
        path = root / schema_path(name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(schema_text(name), encoding="utf-8")
        written.append(path)
    return written


def editor_settings() -> dict:
    """The yaml.schemas setting of VS Code's YAML extension: which schema checks which files."""
    mapping = {f"./{schema_path('site')}": ["data/site.yaml"]}
    for name, folder in FOLDER_OF.items():
        mapping[f"./{schema_path(name)}"] = [f"{folder}/*.yaml", f"{folder}/*.yml"]
    return {"yaml.schemas": mapping}


if __name__ == "__main__":
    # Regenerate the committed schemas and editor settings: python -m insyn.schemas
    project = Path(__file__).resolve().parent.parent
    write_schemas(project)
    settings = project / ".vscode" / "settings.json"
    settings.parent.mkdir(exist_ok=True)
    settings.write_text(json.dumps(editor_settings(), indent=2) + "\n", encoding="utf-8")
