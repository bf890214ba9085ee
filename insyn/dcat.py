"""THE DCAT-AP-SE CATALOGUE of the open data, in RDF/XML: the catalogue, its datasets and their
distributions, publisher and contact point, described with the EU vocabularies that Sweden's
data portal validates with. Made with rdflib, which is imported only when the open data is
made again (insyn.exports calls it), not on every build.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, XSD
from rdflib.term import Node

from .exports import CC0, EU, IANA_MEDIA_TYPES, Dataset, catalogue_title, open_data_settings
from .i18n import N_, translate
from .site import DATA_PAGE_PATH, Site

THEME_JUST = URIRef(EU + "data-theme/JUST")
"""Justice, legal system and public safety."""
THEME_TAXONOMY = URIRef(EU + "data-theme")
LANGUAGE = {"sv": URIRef(EU + "language/SWE"), "en": URIRef(EU + "language/ENG")}
"""The language of the data (the language the site's content is written in). The titles and
descriptions of the datasets and their columns are in the site's interface language."""
PUBLIC = URIRef(EU + "access-right/PUBLIC")
STABLE = URIRef(EU + "planned-availability/STABLE")
DCATAP = Namespace("http://data.europa.eu/r5r/")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
PREFIXES = {
    "dcat": str(DCAT), "dcatap": str(DCATAP), "dcterms": str(DCTERMS), "foaf": str(FOAF),
    "rdf": str(RDF), "vcard": str(VCARD),
}


def _iri(site: Site, anchor: str) -> URIRef:
    return URIRef(site.base_url + DATA_PAGE_PATH + "#" + anchor)


def catalogue_graph(site: Site, datasets_: list[Dataset]) -> Graph:
    """The catalogue as RDF: catalogue, datasets, distributions, publisher and contact point, each
    with an absolute IRI (no blank nodes), described with the EU vocabularies DCAT-AP-SE uses."""
    settings = open_data_settings(site)
    config = site.config
    g = Graph()
    # The catalogue's own words are in the interface's language, names in the content's.
    words, content = site.language, site.content_language
    catalogue, contact = _iri(site, "katalog"), _iri(site, "kontakt")
    publisher = URIRef(settings.publisher_iri)
    language = LANGUAGE[site.content_language]

    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal(catalogue_title(site), lang=words)))
    g.add((catalogue, DCTERMS.description, Literal(translate(N_(
        "Datasets from {organisation} about cooperation for safety: agreements, citizen "
        "promises, follow-ups, indicators and EST."), site.language).format(
        organisation=config.organisation.name), lang=words)))
    g.add((catalogue, DCTERMS.publisher, publisher))
    g.add((catalogue, DCTERMS.license, URIRef(CC0)))  # the metadata itself: always CC0 in Sweden
    g.add((catalogue, DCTERMS.language, language))
    g.add((catalogue, FOAF.homepage, URIRef(site.base_url)))
    g.add((catalogue, DCAT.themeTaxonomy, THEME_TAXONOMY))
    if datasets_:
        g.add((catalogue, DCTERMS.issued, Literal(min(d.issued for d in datasets_))))
        g.add((catalogue, DCTERMS.modified, Literal(max(d.modified for d in datasets_))))

    g.add((publisher, RDF.type, FOAF.Organization))
    g.add((publisher, RDF.type, FOAF.Agent))
    g.add((publisher, FOAF.name, Literal(config.organisation.name, lang=content)))
    g.add((publisher, DCTERMS.type, URIRef(settings.publisher_type)))
    if config.organisation.url:
        g.add((publisher, FOAF.homepage, URIRef(config.organisation.url)))

    g.add((contact, RDF.type, VCARD.Organization))
    g.add((contact, VCARD.fn, Literal(settings.contact.name, lang=content)))
    if settings.contact.email:
        g.add((contact, VCARD.hasEmail, URIRef("mailto:" + settings.contact.email)))
    if settings.contact.url:
        g.add((contact, VCARD.hasURL, URIRef(settings.contact.url)))

    for d in datasets_:
        dataset = _iri(site, d.id)
        g.add((catalogue, DCAT.dataset, dataset))
        g.add((dataset, RDF.type, DCAT.Dataset))
        g.add((dataset, DCTERMS.identifier, Literal(str(dataset))))
        g.add((dataset, DCTERMS.title, Literal(d.title, lang=words)))
        g.add((dataset, DCTERMS.description, Literal(d.description, lang=words)))
        g.add((dataset, DCTERMS.publisher, publisher))
        g.add((dataset, DCAT.contactPoint, contact))
        g.add((dataset, DCAT.theme, THEME_JUST))
        g.add((dataset, DCTERMS.language, language))
        g.add((dataset, DCTERMS.accessRights, PUBLIC))
        g.add((dataset, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/" + d.frequency)))
        g.add((dataset, DCTERMS.issued, Literal(d.issued)))
        g.add((dataset, DCTERMS.modified, Literal(d.modified)))
        g.add((dataset, DCAT.landingPage, URIRef(site.base_url + DATA_PAGE_PATH)))
        for keyword in d.keywords:
            g.add((dataset, DCAT.keyword, Literal(keyword, lang=words)))
        for dist in d.distributions:
            node = _iri(site, dist.anchor)
            url = URIRef(site.base_url + dist.path)
            g.add((dataset, DCAT.distribution, node))
            g.add((node, RDF.type, DCAT.Distribution))
            g.add((node, DCTERMS.title, Literal(f"{d.title} ({dist.format})", lang=words)))
            g.add((node, DCAT.accessURL, url))
            g.add((node, DCAT.downloadURL, url))
            g.add((node, DCTERMS.format, Literal(dist.media_type)))
            g.add((node, DCAT.mediaType, URIRef(IANA_MEDIA_TYPES + dist.media_type)))
            g.add((node, DCAT.byteSize, Literal(dist.size, datatype=XSD.nonNegativeInteger)))
            g.add((node, DCTERMS.license, URIRef(d.licence.url)))
            g.add((node, DCTERMS.modified, Literal(d.modified)))
            g.add((node, DCATAP["availability"], STABLE))
    return g


def _qname(iri: str) -> str:
    for prefix, namespace in sorted(PREFIXES.items(), key=lambda p: -len(p[1])):
        if iri.startswith(namespace) and iri[len(namespace):].replace("_", "a").isalnum():
            return f"{prefix}:{iri[len(namespace):]}"
    raise ValueError(f"no prefix for the property {iri}: add its namespace to PREFIXES")


def _object_key(node: Node) -> tuple[str, str, str]:
    if isinstance(node, Literal):
        return ("1", str(node), f"{node.language or ''} {node.datatype or ''}")
    return ("0", str(node), "")


def _property_xml(predicate: str, node: Node) -> str:
    name = _qname(predicate)
    if isinstance(node, BNode):
        raise ValueError("the catalogue must not have blank nodes")
    if isinstance(node, URIRef):
        return f"    <{name} rdf:resource={quoteattr(str(node))}/>"
    assert isinstance(node, Literal)
    attribute = (f" xml:lang={quoteattr(node.language)}" if node.language else
                 f" rdf:datatype={quoteattr(str(node.datatype))}" if node.datatype else "")
    return f"    <{name}{attribute}>{escape(str(node))}</{name}>"


def rdf_xml(graph: Graph) -> bytes:
    """Canonical RDF/XML: subjects sorted, then their properties sorted; one rdf:Description per
    subject, no blank nodes. rdflib's own serialisers order triples by hash, which changes from run
    to run."""
    lines = ['<?xml version="1.0" encoding="utf-8"?>', "<rdf:RDF"]
    lines += [f"    xmlns:{p}={quoteattr(ns)}" for p, ns in sorted(PREFIXES.items())]
    lines[-1] += ">"
    for subject in sorted(set(graph.subjects()), key=str):
        if not isinstance(subject, URIRef):
            raise ValueError("the catalogue must not have blank nodes")
        lines.append(f"  <rdf:Description rdf:about={quoteattr(str(subject))}>")
        properties = sorted(graph.predicate_objects(subject),
                            key=lambda po: (_qname(str(po[0])), _object_key(po[1])))
        lines += [_property_xml(str(p), o) for p, o in properties]
        lines.append("  </rdf:Description>")
    lines.append("</rdf:RDF>")
    return ("\n".join(lines) + "\n").encode("utf-8")
