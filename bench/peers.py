"""Each generator's project folder, made from the same pages, and the command that builds it.

Every peer gets an equally minimal page template (title, summary, content, published date), its
own idiomatic front matter and only the outputs insyn also makes: one HTML page per Markdown page
(`<slug>/index.html`) and a front page. Feeds, sitemaps, taxonomies and search indexes are turned
off where the tool makes them by default. insyn itself renders its real templates (navigation,
breadcrumbs, page dates, feedback form), which is more work per page than the peers do.
"""

from __future__ import annotations

import compileall
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import sitegen
from sitegen import SyntheticPage
from toolchain import Toolchain

SITE_NAME = "Trygghet i Benchby"
BASE_URL = "https://bench.example.se/trygghet/"
INDEX = SyntheticPage(slug="index", title=SITE_NAME, published="2020-01-20",
                      summary="En påhittad webbplats för att mäta hur snabbt insyn bygger.",
                      body="Här finns [den första sidan](/sida-00000/) bland många.\n")


@dataclass(frozen=True)
class Tool:
    name: str
    """As shown in the tables."""
    key: str
    """For --tools and folder names."""
    write: Callable[[Path, list[SyntheticPage]], None]
    """Write the project folder for these pages."""
    command: Callable[[Toolchain, Path, Path], list[str]]
    """(toolchain, project, out) -> the argv of one build."""
    source: Callable[[Path, str], Path]
    """(project, slug) -> the Markdown file of that page."""
    is_insyn: bool = False

    def page_html(self, out: Path, slug: str) -> Path:
        return out / slug / "index.html"


def _yaml_front_matter(page: SyntheticPage, date_key: str) -> str:
    return (f'---\ntitle: "{page.title}"\nsummary: "{page.summary}"\n'
            f"{date_key}: {page.published}\n---\n")


def _write_pages(folder: Path, pages: list[SyntheticPage], front: Callable[[SyntheticPage], str],
                 name: Callable[[SyntheticPage], str] = lambda p: f"{p.slug}.md") -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for page in pages:
        (folder / name(page)).write_text(front(page) + page.body, encoding="utf-8")


def _write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def _html(title: str, summary: str, content: str, date: str) -> str:
    """The one minimal page every peer renders, in its own template language."""
    return (f'<!doctype html>\n<html lang="sv">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{title} – {SITE_NAME}</title>\n"
            f'<meta name="description" content="{summary}">\n</head>\n<body>\n'
            f'<header><a href="/">{SITE_NAME}</a></header>\n<main>\n<article>\n'
            f'<h1>{title}</h1>\n<p class="lead">{summary}</p>\n{content}\n'
            f"<p>Publicerad {date}</p>\n</article>\n</main>\n</body>\n</html>\n")


# --- insyn ----------------------------------------------------------------------------------

REPO = Path(__file__).resolve().parent.parent
INSYN_BUILD = REPO / "build.py"
TEMPLATES = REPO / "templates"
SNAPSHOT_PARTS = ("build.py", "insyn", "templates", "data/site.yaml")


def snapshot_insyn(target: Path, revision: str | None) -> None:
    """Build from a copy of insyn taken now (git `revision`, or the working tree when None).

    Others keep editing the repository while the benchmark runs: with a copy, a half-saved
    edit cannot break or change a run midway.
    """
    if target.exists():
        shutil.rmtree(target)
    target.mkdir(parents=True)
    if revision:
        archive = subprocess.run(["git", "archive", revision, *SNAPSHOT_PARTS], cwd=REPO,
                                 check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    else:
        for part in SNAPSHOT_PARTS:
            source, copy = REPO / part, target / part
            copy.parent.mkdir(parents=True, exist_ok=True)
            if source.is_dir():
                shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__"))
            else:
                shutil.copy2(source, copy)
    use_insyn(target)


def use_insyn(root: Path) -> None:
    """Build with root/build.py and root/templates; this process reads insyn's model there too."""
    global INSYN_BUILD, TEMPLATES
    INSYN_BUILD, TEMPLATES = root / "build.py", root / "templates"
    sys.path.insert(0, str(root))
    # Byte-compiled as an installed package is (pip compiles what it installs, as it did for
    # the Python peers), and as a checkout is after its first run. Where PYTHONDONTWRITEBYTECODE
    # is set, as on the machines here, every run would otherwise compile all of insyn again.
    compileall.compile_dir(root / "insyn", quiet=1)


def _insyn_write(project: Path, pages: list[SyntheticPage]) -> None:
    sitegen.write_insyn_project(project, pages, TEMPLATES)


def insyn_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [sys.executable, str(INSYN_BUILD), "--root", str(project), "--out", str(out),
            "--today", sitegen.TODAY]


def _insyn_no_search_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [*insyn_command(chain, project, out), "--no-search"]


def _insyn_source(project: Path, slug: str) -> Path:
    return project / "content" / f"{slug}.md"


INSYN = Tool("insyn", "insyn", _insyn_write, insyn_command, _insyn_source, is_insyn=True)
INSYN_NO_SEARCH = Tool("insyn --no-search", "insyn-no-search", _insyn_write,
                       _insyn_no_search_command, _insyn_source, is_insyn=True)
"""insyn without its Pagefind search index, which none of the peers builds."""


# --- Hugo -----------------------------------------------------------------------------------

HUGO_CONFIG = f"""\
baseURL = "{BASE_URL}"
languageCode = "sv"
title = "{SITE_NAME}"
disableKinds = ["taxonomy", "term", "section", "rss", "sitemap", "robotstxt", "404"]
"""


def _hugo_write(project: Path, pages: list[SyntheticPage]) -> None:
    _write(project / "hugo.toml", HUGO_CONFIG)
    single = _html("{{ .Title }}", "{{ .Summary }}", "{{ .Content }}",
                   '{{ .Date.Format "2006-01-02" }}')
    _write(project / "layouts" / "page.html", single)
    _write(project / "layouts" / "home.html", single)
    front = partial(_yaml_front_matter, date_key="date")
    _write_pages(project / "content", pages, front)
    _write_pages(project / "content", [INDEX], front, lambda p: "_index.md")


def _hugo_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [str(chain.hugo), "--source", str(project), "--destination", str(out), "--quiet"]


HUGO = Tool("Hugo", "hugo", _hugo_write, _hugo_command, lambda p, s: p / "content" / f"{s}.md")


def _hugo_pagefind_write(project: Path, pages: list[SyntheticPage]) -> None:
    _hugo_write(project, pages)
    layout = (project / "layouts" / "page.html").read_text(encoding="utf-8")
    searchable = layout.replace("<main>", "<main data-pagefind-body>")
    for name in ("page.html", "home.html"):
        _write(project / "layouts" / name, searchable)


def _hugo_pagefind_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    hugo = shlex.join(_hugo_command(chain, project, out))
    pagefind = shlex.join([str(chain.venv_python), "-m", "pagefind", "--site", str(out),
                           "--silent"])
    return ["sh", "-c", f"{hugo} && exec {pagefind}"]


HUGO_PAGEFIND = Tool("Hugo + Pagefind", "hugo-pagefind", _hugo_pagefind_write,
                     _hugo_pagefind_command, lambda p, s: p / "content" / f"{s}.md")
"""Hugo, then the same Pagefind as insyn's over the same main content: a Hugo site with search
is built this way, and it is the like-for-like peer of plain insyn."""


# --- Eleventy -------------------------------------------------------------------------------

ELEVENTY_CONFIG = """\
module.exports = function (eleventyConfig) {
  eleventyConfig.addGlobalData("layout", "page.njk");
  return {
    dir: { input: "content" },
    markdownTemplateEngine: false,
  };
};
"""


def _eleventy_write(project: Path, pages: list[SyntheticPage]) -> None:
    _write(project / "eleventy.config.cjs", ELEVENTY_CONFIG)
    layout = _html("{{ title }}", "{{ summary }}", "{{ content | safe }}",
                   "{{ page.date.toISOString().slice(0, 10) }}")
    _write(project / "content" / "_includes" / "page.njk", layout)
    front = partial(_yaml_front_matter, date_key="date")
    _write_pages(project / "content", [*pages, INDEX], front)


def _eleventy_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [chain.node, str(chain.eleventy), f"--input={project / 'content'}", f"--output={out}",
            f"--config={project / 'eleventy.config.cjs'}", "--quiet"]


ELEVENTY = Tool("Eleventy", "eleventy", _eleventy_write, _eleventy_command,
                lambda p, s: p / "content" / f"{s}.md")


# --- MkDocs ---------------------------------------------------------------------------------

MKDOCS_CONFIG = f"""\
site_name: {SITE_NAME}
site_url: {BASE_URL}
docs_dir: docs
theme:
  name: null
  custom_dir: theme
plugins: []
markdown_extensions:
  - tables
"""


def _mkdocs_write(project: Path, pages: list[SyntheticPage]) -> None:
    _write(project / "mkdocs.yml", MKDOCS_CONFIG)
    _write(project / "theme" / "main.html",
           _html("{{ page.title }}", "{{ page.meta.summary }}", "{{ page.content }}",
                 "{{ page.meta.date }}"))
    front = partial(_yaml_front_matter, date_key="date")
    _write_pages(project / "docs", [*pages, INDEX], front)


def _mkdocs_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [str(chain.venv_python), "-m", "mkdocs", "build", "--quiet",
            "--config-file", str(project / "mkdocs.yml"), "--site-dir", str(out)]


MKDOCS = Tool("MkDocs", "mkdocs", _mkdocs_write, _mkdocs_command, lambda p, s: p / "docs" / f"{s}.md")


# --- Pelican --------------------------------------------------------------------------------

PELICAN_CONFIG = f"""\
AUTHOR = "Benchby"
SITENAME = "{SITE_NAME}"
SITEURL = ""
PATH = "content"
PAGE_PATHS = ["pages"]
ARTICLE_PATHS = ["articles"]
PAGE_URL = "{{slug}}/"
PAGE_SAVE_AS = "{{slug}}/index.html"
THEME = "theme"
THEME_STATIC_PATHS = []
TIMEZONE = "Europe/Stockholm"
DEFAULT_LANG = "sv"
DIRECT_TEMPLATES = []
PAGINATED_TEMPLATES = {{}}
TAGS_SAVE_AS = CATEGORIES_SAVE_AS = AUTHORS_SAVE_AS = ARCHIVES_SAVE_AS = ""
TAG_SAVE_AS = CATEGORY_SAVE_AS = AUTHOR_SAVE_AS = ""
FEED_ALL_ATOM = CATEGORY_FEED_ATOM = TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = AUTHOR_FEED_RSS = None
LOAD_CONTENT_CACHE = False
"""


def _pelican_front_matter(page: SyntheticPage) -> str:
    save_as = "Save_as: index.html\n" if page.slug == "index" else ""
    return (f"Title: {page.title}\nSummary: {page.summary}\nDate: {page.published}\n"
            f"Slug: {page.slug}\n{save_as}\n")


def _pelican_write(project: Path, pages: list[SyntheticPage]) -> None:
    _write(project / "pelicanconf.py", PELICAN_CONFIG)
    _write(project / "theme" / "templates" / "page.html",
           _html("{{ page.title }}", "{{ page.summary | striptags }}", "{{ page.content }}",
                 "{{ page.date.strftime('%Y-%m-%d') }}"))
    _write_pages(project / "content" / "pages", [*pages, INDEX], _pelican_front_matter)


def _pelican_command(chain: Toolchain, project: Path, out: Path) -> list[str]:
    return [str(chain.venv_python), "-m", "pelican", str(project / "content"),
            "--settings", str(project / "pelicanconf.py"), "--output", str(out), "--quiet"]


PELICAN = Tool("Pelican", "pelican", _pelican_write, _pelican_command,
               lambda p, s: p / "content" / "pages" / f"{s}.md")

ALL = (INSYN, INSYN_NO_SEARCH, HUGO, HUGO_PAGEFIND, ELEVENTY, MKDOCS, PELICAN)
BY_NAME = {tool.key: tool for tool in ALL}


def write_project(tool: Tool, project: Path, pages: list[SyntheticPage]) -> None:
    """A fresh project folder for `tool`."""
    if project.exists():
        shutil.rmtree(project)
    tool.write(project, pages)
