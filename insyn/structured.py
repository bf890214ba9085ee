"""Structured data (schema.org JSON-LD) for each page: the organisation, reports and datasets.

Search engines and other harvesters read it; it repeats what the page says, never more.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from .site import DATA_PAGE_PATH, Page, Site

REPORT_KINDS = {"agreement", "promise", "follow-up", "est-area"}


def organisation(site: Site) -> dict[str, Any]:
    config = site.config
    org: dict[str, Any] = {"@type": "GovernmentOrganization", "@id": site.base_url + "#organisation",
                           "name": config.organisation.name}
    if config.organisation.url:
        org["url"] = config.organisation.url
    contact = {"@type": "ContactPoint", "contactType": "customer service",
               "name": config.contact.unit}
    if config.contact.email:
        contact["email"] = config.contact.email
    if config.contact.phone:
        contact["telephone"] = config.contact.phone
    org["contactPoint"] = contact
    return org


def _report(site: Site, page: Page) -> dict[str, Any]:
    report: dict[str, Any] = {
        "@type": "Report", "name": page.title, "description": page.summary,
        "url": site.base_url + page.path, "inLanguage": site.content_language,
        "datePublished": page.meta.published.isoformat(),
        "dateModified": page.updated.isoformat(),
        "publisher": {"@id": site.base_url + "#organisation"},
    }
    attachment = getattr(page.item, "attachment", None)
    if attachment:
        link = site.files[attachment.file]
        report["associatedMedia"] = {"@type": "MediaObject", "name": link.title,
                                     "contentUrl": site.base_url + link.path,
                                     "encodingFormat": "application/pdf"
                                     if link.path.endswith(".pdf") else None}
    return report


def _datasets(site: Site, datasets: Sequence[Any]) -> list[dict[str, Any]]:
    result = []
    for dataset in datasets:
        result.append({
            "@type": "Dataset", "name": dataset.title, "description": dataset.description,
            "url": site.base_url + f"{DATA_PAGE_PATH}#{dataset.id}",
            "license": dataset.licence.url,
            "dateModified": dataset.modified.isoformat(),
            "creator": {"@id": site.base_url + "#organisation"},
            "distribution": [{"@type": "DataDownload", "encodingFormat": d.media_type,
                              "contentUrl": site.base_url + d.path}
                             for d in dataset.distributions],
        })
    return result


def is_organisation_only(page: Page) -> bool:
    """Is the page's JSON-LD only the organisation, the same as every such page's?"""
    return page.kind not in REPORT_KINDS and page.kind != "data"


def json_ld(site: Site, page: Page, datasets: Sequence[Any] = ()) -> str:
    """The JSON-LD for one page, safe to put inside a <script type="application/ld+json">."""
    graph: list[dict[str, Any]] = [organisation(site)]
    if page.kind in REPORT_KINDS:
        graph.append(_report(site, page))
    if page.kind == "data":
        graph += _datasets(site, datasets)
    data = {"@context": "https://schema.org", "@graph": _without_none(graph)}
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    # "</" would end the script element early; the JSON escape keeps the same meaning.
    return text.replace("</", "<\\/")


def _without_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _without_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_without_none(v) for v in value]
    return value
