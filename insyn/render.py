"""RENDER: Site -> list of Output(path, bytes). Pure: reads templates and files, writes nothing."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Iterable, Mapping
from difflib import get_close_matches
from pathlib import Path
from types import FunctionType, MethodType
from typing import Any, NamedTuple
from xml.sax.saxutils import escape

import jinja2
import markupsafe
from babel.dates import format_date as babel_date
from babel.numbers import format_decimal
from markupsafe import Markup

from .errors import InputError
from .feedback import COMMENT_LIMIT
from .folding import (
    Fold,
    FoldingBytecodeCache,
    FoldingEnvironment,
    folded_key,
    text_fold,
    translation_fold,
)
from .headers import headers_file
from .i18n import N_, is_message, language_link, translate, translations_digest
from .markdown import is_site_path, leads_somewhere, render_markdown
from .output import PAGE_VERSION_PLACEHOLDER, Output, version_places, with_page_version
from .quick import TEXT_PAGE_KIND, Layout, body_layout
from .schemas import SCHEMAS, schema_path, schema_text
from .search import KIND_FILTERS, NOT_INDEXED, OTHER_KIND
from .site import (
    FieldPlace,
    Page,
    Site,
    commitment_path,
    focus_area_path,
    indicator_path,
    party_path,
    thanks_path,
)
from .structured import is_organisation_only, json_ld

DATE_FORMAT = "d MMMM y"
"""A day as residents write it: 24 november 2026, 24 November 2026 (Unicode date pattern)."""
MONTH_FORMAT = "MMMM y"

TEMPLATES = {
    "landing": "landing.html",
    "agreement": "agreement.html",
    "promise": "promise.html",
    "follow-up": "follow_up.html",
    "est-area": "est_area.html",
    "archive": "archive.html",
    "privacy": "privacy.html",
    "data": "data.html",
    "accessibility": "accessibility.html",
    "not-found": "not_found.html",
    "commitment": "commitment.html",
    "party": "party.html",
    "focus-area": "focus_area.html",
    "indicator": "indicator.html",
    "method": "method.html",
    "search": "search.html",
    "all-pages": "all_pages.html",
    "thanks": "thanks.html",
    "page": "page.html",
}


@functools.lru_cache(maxsize=4096)
def format_date(value: dt.date, language: str = "sv") -> str:
    """24 november 2026 (Swedish) or 24 November 2026 (English), from Babel's locale data."""
    return babel_date(value, DATE_FORMAT, locale=language)


def format_month(value: str, language: str = "sv") -> str:
    """'2024-03' -> 'mars 2024' (English 'March 2024')."""
    year, month = value.split("-")
    return babel_date(dt.date(int(year), int(month), 1), MONTH_FORMAT, locale=language)


def format_number(value: float, decimals: int | None = None, language: str = "sv") -> str:
    """1 234,5 in Swedish (a non-breaking space between thousands), 1,234.5 in English."""
    if decimals is None:
        decimals = 0 if float(value).is_integer() else 1
    # A data-heavy site formats tens of thousands of numbers (tables, chart texts, open data),
    # most of them a few hundred values, and Babel takes 15 µs each. The key is the value's
    # repr, which tells -0.0 from 0.0, and an int or a Decimal from a float.
    key = (repr(value), decimals, language)
    text = _FORMATTED.get(key)
    if text is None:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
        text = format_decimal(value, pattern, locale=language)
        if len(_FORMATTED) < _FORMATTED_LIMIT:
            _FORMATTED[key] = text
    return text


_FORMATTED: dict[tuple[str, int, str], str] = {}
_FORMATTED_LIMIT = 1 << 16


BYTES = N_("{size} bytes")


def format_size(size: int, language: str = "sv") -> str:
    """337,4 kB: sizes in SI units (1 kB = 1000 bytes) as the model page shows them."""
    if size < 1000:
        return translate(BYTES, language).format(size=format_number(size, 0, language))
    for unit, factor in (("kB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < factor * 1000 or unit == "GB":
            return f"{format_number(size / factor, 1, language)} {unit}"
    raise AssertionError("unreachable")


def lang_attribute(language: str, interface: str) -> Markup:
    """' lang="sv"' for an element whose text is in another language than the page around it."""
    return Markup(' lang="{}"').format(language) if language and language != interface else Markup()


def in_language(text: object, language: str, interface: str) -> Markup:
    """A text of the content (written in `language`) in a page whose interface is `interface`:
    as it is when the two agree, else in a span that tells screen readers its language."""
    if language == interface:
        return Markup.escape(text)
    return Markup('<span lang="{}">{}</span>').format(language, text)


def interface_text(text: str, language: str, content_language: str) -> Markup | str:
    """A default text of data/site.yaml in the page's language; a text the organisation wrote
    instead is shown as written, marked with the language of the content."""
    if is_message(text):
        return translate(text, language)
    return in_language(text, content_language, language)


def translated_texts(texts: Any, language: str) -> dict[str, Any]:
    """The feedback form's texts for its script, each default translated into `language`."""
    def one(value: Any) -> Any:
        return [one(v) for v in value] if isinstance(value, list) else translate(value, language)
    return {name: one(value) for name, value in texts.model_dump().items()}


_escape_text = getattr(markupsafe, "_escape_inner", None)  # markupsafe 3's C escaping of a str
_new_str = str.__new__


def _escape(value: Any) -> Markup:
    """markupsafe.escape for the compiled templates, without its two copies of what is safe
    already: a Markup (an included partial, a translated word) is returned as it is, and an
    escaped str made Markup directly. 43 escapes a page; 0.02 ms of its 0.25."""
    kind = value.__class__
    if kind is Markup:
        return value  # immutable: the same text, safe as it was
    if kind is str and _escape_text is not None:
        return _new_str(Markup, _escape_text(value))
    return markupsafe.escape(value)


class PageTemplate(jinja2.Template):
    """A compiled template whose output is escaped by `_escape`."""

    @classmethod
    def _from_namespace(cls, environment: jinja2.Environment, namespace: dict[str, Any],
                        globals: Any) -> jinja2.Template:  # noqa: A002 - Jinja's own name
        # The compiled code calls the module-level name `escape` for every {{ value }}.
        namespace["escape"] = _escape
        return super()._from_namespace(environment, namespace, globals)


class PageEnvironment(FoldingEnvironment):
    """The templates' environment. Its globals are all set before the first template is
    loaded (but `ui`, the macros, which are loaded to make it), so a template takes them as
    one plain dict: Jinja's own view of them (a ChainMap, which sees globals set later) was
    copied key by key for every page, 12 µs a page."""

    template_class = PageTemplate

    def make_globals(self, d: Mapping[str, Any] | None) -> Any:
        return {**self.globals, **(d or {})}


def make_environment(templates: Path, cache_folder: Path | None = None, *,
                     folds: Mapping[str, Fold] | None = None, variant: str = "",
                     folded: str = "") -> jinja2.Environment:
    """Jinja2 with autoescaping and strict undefined; compiled templates kept in `cache_folder`.

    `folds` are the calls made when a template is compiled (see insyn.folding); `variant`
    (such as the language) and `folded` (a key of what the folded calls give) tell apart the
    compiled templates kept for other environments."""
    bytecode_cache = None
    if cache_folder is not None:
        cache_folder.mkdir(parents=True, exist_ok=True)
        bytecode_cache = FoldingBytecodeCache(str(cache_folder), variant,
                                              folded_key(folded, sorted(folds or {})))
    env = PageEnvironment(
        loader=jinja2.FileSystemLoader(templates),
        bytecode_cache=bytecode_cache,
        autoescape=jinja2.select_autoescape(["html", "xml"], default_for_string=True),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
        auto_reload=False,
        cache_size=-1,  # a plain dict: every page looks its templates up, no need for an LRU
    )
    env.folds = folds or {}
    env.tests["contains"] = lambda sequence, value: value in sequence
    return env


def install_translations(env: jinja2.Environment, language: str) -> None:
    """The templates' _() and {% trans %} in the site's language, from the same catalogues."""
    env.install_gettext_callables(
        gettext=lambda message: translate(message, language),
        ngettext=lambda singular, plural, n: translate(singular if n == 1 else plural, language),
        newstyle=True)


def constant_folds(language: str, url: Callable[[str], str]) -> dict[str, Fold]:
    """The calls with a constant text that are made when a template is compiled: the words of
    the interface (`_()`, `{% trans %}` without values) and `url()`."""
    words = translation_fold(lambda message: translate(message, language))
    return {"_": words, "gettext": words, "url": text_fold(url)}


class WatchedSite:
    """The site as the templates see it, noting what of it a page reads.

    A page of text that reads only what every page shows (the menu, the site's settings) need
    not be made again when another page's title changes; one whose template reads more (a
    list of all pages, say) must. What a page read is kept with it in the page cache, and its
    next key depends on the whole site only if it did (see insyn.incremental)."""

    LOCAL = frozenset({"base_url", "base_path", "config", "navigation", "language",
                       "content_language", "today", "feedback_endpoint", "search_year",
                       "title_language_of"})
    """What reading does not tie a page of text to the rest of the site: these are covered by
    the key that every page shares, or depend on the page itself."""

    def __init__(self, site: Site, data_globals: Iterable[str] = ()) -> None:
        self._site = site
        self.read: set[str] = set()
        self.data_globals = frozenset(data_globals)
        """The templates' other values drawn from the data (the charts, the datasets): reading
        one ties a page to the whole site too."""

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._site, name)
        if name in self.LOCAL:
            # Reading it ties no page to the rest of the site: kept here, it is found without
            # coming back through this method (a page reads the site a dozen times).
            setattr(self, name, value)
        else:
            self.read.add(name)
        return value

    def reads_whole_site(self) -> bool:
        return not self.read <= self.LOCAL

    def context_class(self) -> type[jinja2.runtime.Context]:
        """A template context that notes when a page looks up one of the data's values (in a
        macro or an included partial too)."""
        watched = self

        class WatchingContext(jinja2.runtime.Context):
            def resolve_or_missing(self, key: str) -> Any:
                if key in watched.data_globals:
                    watched.read.add(key)
                # Jinja's own, inline: every template looks up each name it uses.
                if key in self.vars:
                    return self.vars[key]
                if key in self.parent:
                    return self.parent[key]
                return jinja2.utils.missing

            def call(self, function: Any, /, *args: Any, **kwargs: Any) -> Any:
                """Jinja's `Context.call`, without its checks for a plain Python function or
                method (the most common call, a dozen a page): they take most of its time."""
                plain = function.__func__ if type(function) is MethodType else function
                if type(plain) is not FunctionType or "jinja_pass_arg" in plain.__dict__:
                    return super().call(function, *args, **kwargs)
                if kwargs:
                    kwargs.pop("_block_vars", None)
                    kwargs.pop("_loop_vars", None)
                try:
                    return function(*args, **kwargs)
                except StopIteration:
                    return self.environment.undefined(
                        "value was undefined because a callable raised a StopIteration exception")
        return WatchingContext


def _rendered_once(env: jinja2.Environment, watched: WatchedSite) -> Callable[[str], Markup]:
    """`once(name)` in a template: a partial that is the same on every page (the footer, the
    feedback form's questions), rendered the first time and reused. It sees only the
    environment's globals, so a partial that used the page would fail loudly, not go stale.
    What it read of the site counts as read by every page that shows it."""
    rendered: dict[str, tuple[Markup, set[str]]] = {}

    def once(name: str) -> Markup:
        if name not in rendered:
            outer, watched.read = watched.read, set()
            try:
                rendered[name] = (Markup(env.get_template(name).render()), watched.read)
            finally:
                watched.read = outer
        html, read = rendered[name]
        watched.read |= read
        return html
    return once


class RenderedPage(NamedTuple):
    html: bytes
    layout: Layout | None
    reads_whole_site: bool


class Renderer:
    """Renders pages one at a time, each in its interface language; collects link errors.

    A page's words come from the environment of its language (`Page.language`): the site's, or
    the language of a page version such as en/rapportera/.

    `context` adds values the templates may use (the data page's datasets, the charts);
    `other_paths` are files written by another stage that Markdown may link to.
    """

    def __init__(self, site: Site, templates: Path, *, context: dict | None = None,
                 other_paths: Iterable[str] = (), cache_folder: Path | None = None) -> None:
        self.site = site
        self.templates = templates
        self.static = templates / "static"
        self.context = context or {}
        self.errors: list[InputError] = []
        self.known_paths = ({p.path for p in site.pages} | {f.path for f in site.files.values()}
                            | {schema_path(name) for name in SCHEMAS} | set(other_paths))
        self.cache_folder = cache_folder
        self.watched = WatchedSite(site, data_globals=self.context)
        self._environments: dict[str, jinja2.Environment] = {}
        self._organisation_json_ld: str | None = None

    def environment(self, language: str) -> jinja2.Environment:
        """The templates with their words in `language`: the site's, or a page version's own."""
        if language not in self._environments:
            self._environments[language] = self._environment(language)
        return self._environments[language]

    def _environment(self, language: str) -> jinja2.Environment:
        """The templates' words: `_()` for the tool's own, `| t` for a default text of
        data/site.yaml (or the organisation's own), `| c`, `content_lang` and `lang_attr()` to
        mark text written in another language than the page's interface."""
        site, content = self.site, self.site.content_language
        env = make_environment(
            self.templates, self.cache_folder, folds=constant_folds(language, self.url),
            variant=language, folded=folded_key(language, site.base_path,
                                                translations_digest(language)))
        env.context_class = self.watched.context_class()
        install_translations(env, language)
        env.filters.update(
            date=lambda d: format_date(d, language),
            month=lambda m: format_month(m, language),
            number=lambda v, decimals=None: format_number(v, decimals, language),
            filesize=lambda s: format_size(s, language),
            url=self.url,
            t=lambda text: interface_text(text, language, content),
            c=lambda text, written_in=content: in_language(text, written_in, language),
        )
        env.globals.update(self.context)
        env.globals.update(search_kinds=KIND_FILTERS, search_other_kind=OTHER_KIND,
                           not_indexed=NOT_INDEXED)
        env.globals.update(commitment_path=commitment_path, party_path=party_path,
                           thanks_path=thanks_path,
                           focus_area_path=focus_area_path, indicator_path=indicator_path)
        env.globals.update(site=self.watched, config=site.config, markdown=self.markdown,
                           url=self.url,
                           href=self.href, today=site.today, comment_limit=COMMENT_LIMIT,
                           feedback_script_texts=translated_texts(site.config.feedback.texts,
                                                                  language),
                           lang=language, content_lang=lang_attribute(content, language),
                           lang_attr=lambda code: lang_attribute(code, language),
                           language_link=language_link)
        # The shared macros, made once per language rather than imported by every page.
        env.globals["once"] = _rendered_once(env, self.watched)
        env.globals["ui"] = env.get_template("partials/macros.html").module  # the last global
        return env

    def compile_templates(self) -> None:
        """Compile the templates of the site's pages into the bytecode cache, those of pages of
        text first. A large site's first build has it done while other stages run, so that
        the workers that render the pages load them instead of each compiling them."""
        env = self.environment(self.site.language)  # the macros with it
        names = ["page.html", "base.html", "partials/page_meta.html", "partials/feedback.html",
                 "partials/footer.html", "partials/feedback_questions.html",
                 "partials/feedback_scripts.html"]
        names += [TEMPLATES[page.kind] for page in self.site.pages]
        for name in dict.fromkeys(names):
            env.get_template(name)

    def url(self, path: str) -> str:
        return self.site.base_path + path

    def href(self, target: str) -> str:
        """A link written in the data: /x/ is a page of this site (under its base path), anything
        else (https://..., mailto:...) is left as written."""
        if is_site_path(target):
            return self.url(target[1:])
        return target

    def markdown(self, text: str, source: str | FieldPlace | None = "", first_line: int = 1) -> str:
        """Markdown as HTML; when `source` is given, links to missing pages become errors.

        `source` is a file path with the line the text starts on, or the place of a Markdown
        field in a data file (its line is looked up only if a link is broken).
        """
        def check_link(href: str, line: int) -> None:
            if leads_somewhere(href, self.known_paths, self.static):
                return
            target = href[1:].split("#", 1)[0].split("?", 1)[0]
            close = get_close_matches(target, sorted(self.known_paths), n=1, cutoff=0.5)
            hint = N_("did you mean /{close}?") if close else N_(
                "link to a page that exists, starting with /, for example /medborgarloften/")
            path, start = ((source.source.rel, source.first_line())
                           if isinstance(source, FieldPlace) else (source or "?", first_line))
            self.errors.append(InputError.at(
                path, start + line, 0,
                N_("the link '{href}' leads to no page on the site"), hint, href=href,
                close=close[0] if close else ""))
        return render_markdown(text, self.site.base_path, check_link if source else None)

    def render_page(self, page: Page) -> bytes:
        return self.render_page_and_layout(page).html

    def render_page_and_layout(self, page: Page) -> RenderedPage:
        """The page's HTML; for a page of Markdown text, also where its body sits in it (see
        insyn.quick) and whether it read more of the site than every page does."""
        template = self.environment(page.language).get_template(TEMPLATES[page.kind])
        source = page.body_file
        body = (self.markdown(source.body, source.rel, source.body_line)
                if source and source.body else "")
        watched = self.watched
        watched.read = set()
        html = template.render(page=page, item=page.item, body_html=body,
                               json_ld=self._json_ld(page),
                               page_version=PAGE_VERSION_PLACEHOLDER).encode("utf-8")
        places = version_places(html)
        layout = (body_layout(html, body.encode("utf-8"), places)
                  if page.kind == TEXT_PAGE_KIND else None)
        return RenderedPage(with_page_version(html, places), layout, watched.reads_whole_site())

    def _json_ld(self, page: Page) -> str:
        if not is_organisation_only(page):
            return json_ld(self.watched, page, self.context.get("datasets", ()))
        if self._organisation_json_ld is None:  # what most pages have: made once
            self._organisation_json_ld = json_ld(self.watched, page)
        return self._organisation_json_ld

    def other_outputs(self) -> list[Output]:
        """Everything but the pages and the schemas: sitemap, robots.txt, headers, static files,
        attachments."""
        site = self.site
        outputs = [Output("sitemap.xml", sitemap(site)), Output("robots.txt", robots(site)),
                   Output("_headers", headers_file(site))]
        static = self.templates / "static"
        if static.is_dir():
            for path in sorted(static.rglob("*")):
                if path.is_file():
                    outputs.append(Output("static/" + path.relative_to(static).as_posix(),
                                          source=path))
        for source_path, link in sorted(site.files.items()):
            outputs.append(Output(link.path, source=site.file_sources[source_path]))
        return outputs


def schema_outputs() -> list[Output]:
    """The JSON Schemas of the input files, published beside the open data. They depend on the
    tool's code only, so a build takes them from its cache while the code is unchanged."""
    return [Output(schema_path(name), schema_text(name).encode("utf-8")) for name in SCHEMAS]


def render_site(site: Site, templates: Path, *, context: dict | None = None,
                other_paths: Iterable[str] = (), cache_folder: Path | None = None,
                ) -> tuple[list[Output], list[InputError]]:
    """Every page and other file of the site at once, or the errors that prevent it."""
    renderer = Renderer(site, templates, context=context, other_paths=other_paths,
                        cache_folder=cache_folder)
    outputs = [Output(page.output_path, renderer.render_page(page)) for page in site.pages]
    return outputs + renderer.other_outputs() + schema_outputs(), renderer.errors


def sitemap(site: Site) -> bytes:
    """Every page search engines may list, with the date it last changed."""
    entries = "".join(
        f"  <url><loc>{escape(site.base_url + page.path)}</loc>"
        f"<lastmod>{page.updated.isoformat()}</lastmod></url>\n"
        for page in site.pages if page.indexable)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{entries}</urlset>\n").encode()


def robots(site: Site) -> bytes:
    # Crawlers read robots.txt only at the host's root: under a sub-path, the host's own file
    # must name this sitemap. Publishing it here does no harm and serves sites at the root.
    return f"User-agent: *\nAllow: /\n\nSitemap: {site.base_url}sitemap.xml\n".encode()
