"""The development server: build, serve the site, rebuild on every save and reload the browser.

Broken input never stops the server: the errors are printed and the last good site stays up.
"""

from __future__ import annotations

import dataclasses
import json
import sys
import time
from pathlib import Path

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher
from tornado import web

from .errors import InputErrors, format_errors
from .feedback import LOCAL_ENDPOINT_PATH, receive
from .i18n import N_, translate
from .pipeline import BuildOptions, build

WATCHED = ("content", "data", "files", "templates")
POLL_SECONDS = 0.2
SEARCH_DELAY_SECONDS = 2.0
"""After a save the pages are rebuilt at once without the search index (which takes seconds
on a large site); the index follows when no other save came for this long."""


class _DeferredSearch:
    """Brings the search index up to date a moment after the last rebuild, on the server's
    loop, so that a save shows in the browser without waiting for the index."""

    def __init__(self, rebuild) -> None:
        self.rebuild = rebuild
        self.pending = None

    def schedule(self) -> None:
        from tornado import ioloop

        loop = ioloop.IOLoop.current()
        if self.pending is not None:
            loop.remove_timeout(self.pending)
        self.pending = loop.call_later(SEARCH_DELAY_SECONDS, self._run)

    def _run(self) -> None:
        self.pending = None
        self.rebuild()


class _RebuildingWatcher(Watcher):
    """Rebuilds once per round of changes, however many files one save touched."""

    def __init__(self, rebuild) -> None:
        super().__init__()
        self.rebuild = rebuild

    def prime(self) -> None:
        """Record the files as they are now, so that only later saves count as changes."""
        Watcher.examine(self)

    def examine(self):
        filepath, delay = super().examine()
        if filepath and not self.rebuild():
            return None, None  # the build failed: keep the page the browser shows
        return filepath, delay

    def start(self, callback) -> bool:
        # livereload polls every 0.8 s; a save should show within about a second, so poll faster.
        from tornado import ioloop

        ioloop.PeriodicCallback(callback, POLL_SECONDS * 1000).start()
        return True


class LocalFeedbackHandler(web.RequestHandler):
    """Answers the feedback form during local work: validates, keeps and prints each answer."""

    def initialize(self, log: Path) -> None:
        self.log = log

    def check_xsrf_cookie(self) -> None:  # the form carries no cookie, by design
        pass

    def _answer(self) -> None:
        reply = receive(self.request.method, self.request.headers.get("Content-Type", ""),
                        self.request.body, self.request.headers.get("Origin"))
        if reply.submission is not None:
            record = reply.submission.model_dump(exclude_none=True)
            label = "Discarded (looks automated)" if reply.discarded else "Feedback received"
            print(f"{label}: {json.dumps(record, ensure_ascii=False)}", flush=True)
            if not reply.discarded:
                self.log.parent.mkdir(parents=True, exist_ok=True)
                with self.log.open("a", encoding="utf-8") as file:
                    file.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
        elif reply.status >= 400:
            print(f"Feedback refused: {reply.body.decode('utf-8', 'replace')}", flush=True)
        self.set_status(reply.status)
        for name, value in reply.headers.items():
            self.set_header(name, value)
        if reply.body:
            self.write(reply.body)

    post = options = _answer


class _Server(Server):
    """livereload's server, with the local feedback receiver in front of the site."""

    def __init__(self, feedback_log: Path, **kwargs) -> None:
        super().__init__(**kwargs)
        self.feedback_log = feedback_log

    def get_web_handlers(self, script):
        return [(LOCAL_ENDPOINT_PATH, LocalFeedbackHandler, {"log": self.feedback_log}),
                *super().get_web_handlers(script)]


def rebuild_once(options: BuildOptions, language: str, *, quiet: bool = False) -> bool:
    """Build and report (only problems, when quiet); True when the site was written."""
    started = time.strftime("%H:%M:%S")
    try:
        result = build(options)
    except InputErrors as exc:
        message = translate(N_("The site was not rebuilt; the last good site is still shown:"),
                            language)
        print(f"[{started}] {message}\n{format_errors(exc.errors, language)}", file=sys.stderr,
              flush=True)
        return False
    if quiet:
        return True
    if result.warnings:
        print(format_errors(result.warnings, language), file=sys.stderr, flush=True)
    message = translate(N_("Built {pages} pages in {seconds} s."), language)
    print(f"[{started}] " + message.format(pages=result.pages, seconds=f"{result.seconds:.2f}"),
          flush=True)
    return True


def serve(options: BuildOptions, *, host: str, port: int, language: str = "sv") -> int:
    # Links must work on the local server, whatever sub-path the site is published under,
    # and the feedback form posts to the local receiver unless told otherwise.
    local = f"http://{host}:{port}/"
    options = dataclasses.replace(
        options, base_url=local,
        feedback_endpoint=options.feedback_endpoint or local + LOCAL_ENDPOINT_PATH.lstrip("/"))
    feedback_log = options.root / ".insyn-cache" / "feedback.jsonl"
    rebuild_once(options, language)
    options.out.mkdir(parents=True, exist_ok=True)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop the reload of a quick second save
    quick = dataclasses.replace(options, search=False)
    deferred = _DeferredSearch(lambda: rebuild_once(options, language, quiet=True))

    def rebuild_after_save() -> bool:
        written = rebuild_once(quick, language)
        if written and options.search:
            deferred.schedule()
        return written

    watcher = _RebuildingWatcher(rebuild_after_save)
    server = _Server(feedback_log, watcher=watcher)
    for folder in WATCHED:
        (options.root / folder).mkdir(exist_ok=True)
        server.watch(str(options.root / folder))
    watcher.prime()
    message = translate(N_("Serving the site on {url} (Ctrl-C stops). Feedback sent from the "
                           "pages is printed here and kept in {log}."), language)
    print(message.format(url=local, log=feedback_log), flush=True)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None,
                 restart_delay=0)
    return 0
