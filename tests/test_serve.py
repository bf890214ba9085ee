"""The development server: a save shows in the open browser page by itself.

How soon is measured by the benchmark (bench/: save -> page on disk), not here: on a CI machine
running other tests beside this one, a rebuild can take a few seconds."""

import socket
import subprocess
import sys
import time
import urllib.request

import pytest

from .conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def server(project):
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "build.py"), "serve", "--port", str(port)],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(url, timeout=1)
            break
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                process.kill()
                pytest.fail("serve did not start:\n" + (process.stdout.read() or ""))
            time.sleep(0.1)
    yield url
    process.terminate()
    process.wait(timeout=10)


def edit(path, old, new):
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")


def test_a_saved_change_reloads_the_open_page(server, project, page):
    page.goto(server + "rapportera/")
    assert page.locator("h1").inner_text() == "Tipsa och anmäl"
    edit(project / "content/rapportera.md", "title: Tipsa och anmäl", "title: Så tipsar du oss")
    page.wait_for_function(
        "document.querySelector('h1').textContent === 'Så tipsar du oss'", timeout=20000)


def test_broken_input_keeps_the_last_good_site_and_a_fix_shows_again(server, project, page):
    page.goto(server + "rapportera/")
    edit(project / "data/site.yaml", "site_name: Trygghet i Lidköping", "site_name: [oj")
    time.sleep(1)
    assert urllib.request.urlopen(server + "rapportera/").status == 200
    edit(project / "data/site.yaml", "site_name: [oj", "site_name: Trygghet i hela Lidköping")
    page.wait_for_function(
        "document.querySelector('.brand-site').textContent === 'Trygghet i hela Lidköping'",
        timeout=20000)


def test_the_search_index_follows_a_save_without_holding_up_the_page(server, project):
    entry = project / "site/pagefind/pagefind-entry.json"
    before = entry.read_bytes()
    edit(project / "content/rapportera.md", "title: Tipsa och anmäl", "title: Så tipsar du oss")
    deadline = time.monotonic() + 20
    while "Så tipsar du oss" not in (project / "site/rapportera/index.html").read_text("utf-8"):
        assert time.monotonic() < deadline, "the page was not rebuilt"
        time.sleep(0.05)
    assert entry.read_bytes() == before  # the page first, the index a moment later
    while entry.read_bytes() == before:
        assert time.monotonic() < deadline, "the search index was not brought up to date"
        time.sleep(0.1)
