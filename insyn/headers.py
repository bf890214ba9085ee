"""Security headers for the static host: a strict Content-Security-Policy and its companions.

The site loads nothing from elsewhere, runs no inline script or style, and sends only the
feedback form to another origin; the policy says exactly that. Pagefind's search runs
WebAssembly, which needs 'wasm-unsafe-eval' (it allows compiling WebAssembly only, not eval of
JavaScript), and its stylesheet draws checkboxes as data: images. The build writes `_headers`
(read by Netlify and Cloudflare Pages); docs/hosting.md shows the same headers for nginx and Apache.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from .site import Site


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def content_security_policy(site: Site) -> str:
    feedback = origin(site.feedback_endpoint) if site.feedback_endpoint else None
    directives = [
        "default-src 'none'",
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        # Pagefind's own stylesheet draws its filter checkboxes as data: SVG images; an image
        # cannot run code, so allowing data: for images only is the narrow way to keep them.
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'" + (f" {feedback}" if feedback else ""),
        # 'self' too: the receiver answers a form sent without JavaScript by redirecting back
        # to the site's thank-you page, and browsers check form redirects against this list.
        "form-action 'self'" + (f" {feedback}" if feedback else ""),
        "base-uri 'none'",
        "frame-ancestors 'none'",
    ]
    return "; ".join(directives)


def security_headers(site: Site) -> dict[str, str]:
    return {
        "Content-Security-Policy": content_security_policy(site),
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "X-Content-Type-Options": "nosniff",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def headers_file(site: Site) -> bytes:
    """The `_headers` file: the headers for every path under the site."""
    lines = [f"{site.base_path}*"] + [f"  {name}: {value}"
                                       for name, value in security_headers(site).items()]
    return ("\n".join(lines) + "\n").encode("utf-8")


def nginx_snippet(site: Site) -> str:
    return "".join(f'add_header {name} "{value}" always;\n'
                   for name, value in security_headers(site).items())
