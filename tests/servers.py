"""Real HTTP servers on loopback for browser tests: the built site, and a feedback receiver."""

from __future__ import annotations

import functools
import socket
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from insyn.feedback import receive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class _Quiet:
    def log_message(self, format, *args):  # noqa: A002 - the name http.server uses
        pass


class SiteServer:
    """Serves a built site folder, as a static host would, optionally with extra headers."""

    def __init__(self, folder: Path, port: int | None = None,
                 headers: dict[str, str] | None = None):
        extra = dict(headers or {})

        def end_headers(self):
            for name, value in extra.items():
                self.send_header(name, value)
            SimpleHTTPRequestHandler.end_headers(self)

        handler = type("Handler", (_Quiet, SimpleHTTPRequestHandler), {"end_headers": end_headers})
        self.httpd = ThreadingHTTPServer(("127.0.0.1", port or 0),
                                         functools.partial(handler, directory=str(folder)))
        self.url = f"http://127.0.0.1:{self.httpd.server_port}/"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


class FeedbackReceiver:
    """A receiver that answers as the contract says, or fails on purpose (status 500)."""

    def __init__(self, port: int):
        self.received: list[dict] = []
        self.requests: list[tuple[str, str]] = []
        self.fail_with: int | None = None
        self.delay = 0.0
        """Seconds to wait before answering a POST, as a slow receiver would."""
        receiver = self

        class Handler(_Quiet, SimpleHTTPRequestHandler):
            def _answer(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                content_type = self.headers.get("Content-Type", "")
                receiver.requests.append((self.command, content_type))
                if self.command == "POST":
                    time.sleep(receiver.delay)
                reply = receive(self.command, content_type, body, self.headers.get("Origin"))
                if receiver.fail_with and self.command == "POST":
                    reply.status, reply.body, reply.submission = receiver.fail_with, b"", None
                if reply.submission is not None and not reply.discarded:
                    receiver.received.append(reply.submission.model_dump(exclude_none=True))
                self.send_response(reply.status)
                for name, value in reply.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)

            do_POST = do_OPTIONS = _answer  # noqa: N815 - the names http.server calls

        self.httpd = ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self.url = f"http://127.0.0.1:{port}/feedback"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


def read_headers_file(path: Path) -> dict[str, str]:
    """The headers of a Netlify-style `_headers` file (one path block, as the build writes)."""
    headers = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith((" ", "\t")) and ":" in line:
            name, value = line.strip().split(":", 1)
            headers[name.strip()] = value.strip()
    return headers
