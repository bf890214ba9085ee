"""The development server: build, serve the site, rebuild on every save and reload the browser.

Broken input never stops the server: the errors are printed and the last good site stays up.
"""

from __future__ import annotations

import dataclasses
import sys
import time

from livereload import Server
from livereload.handlers import LiveReloadHandler
from livereload.watcher import Watcher

from .errors import InputErrors, format_errors
from .pipeline import BuildOptions, build

WATCHED = ("content", "data", "files", "templates")
POLL_SECONDS = 0.2


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


def rebuild_once(options: BuildOptions) -> bool:
    """Build and report; True when the site was written."""
    started = time.strftime("%H:%M:%S")
    try:
        result = build(options)
    except InputErrors as exc:
        print(f"[{started}] The site was not rebuilt:\n{format_errors(exc.errors)}",
              file=sys.stderr, flush=True)
        return False
    if result.warnings:
        print(format_errors(result.warnings), file=sys.stderr, flush=True)
    print(f"[{started}] Built {result.pages} pages in {result.seconds:.2f} s.", flush=True)
    return True


def serve(options: BuildOptions, *, host: str, port: int) -> int:
    # Links must work on the local server, whatever sub-path the site is published under.
    options = dataclasses.replace(options, base_url=f"http://{host}:{port}/")
    rebuild_once(options)
    options.out.mkdir(parents=True, exist_ok=True)
    LiveReloadHandler.DEFAULT_RELOAD_TIME = 0  # never drop the reload of a quick second save
    watcher = _RebuildingWatcher(lambda: rebuild_once(options))
    server = Server(watcher=watcher)
    for folder in WATCHED:
        (options.root / folder).mkdir(exist_ok=True)
        server.watch(str(options.root / folder))
    watcher.prime()
    print(f"Serving the site on http://{host}:{port}/ (Ctrl-C stops).", flush=True)
    server.serve(host=host, port=port, root=str(options.out), open_url_delay=None,
                 restart_delay=0)
    return 0
