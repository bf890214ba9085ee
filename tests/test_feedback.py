"""The feedback contract, the form in the built pages, and serve's local receiver."""

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from insyn.feedback import json_schema_text, receive

from .conftest import ROOT, build_project
from .servers import free_port

PAGE = {"page_url": "https://www.example.se/trygghet/medborgarloften/2021/",
        "page_title": "Medborgarlöfte 2021", "page_id": "medborgarloften/2021/",
        "page_owner": "Kommunledningsförvaltningen", "language": "sv", "page_version": "abc123def456"}


def test_a_json_answer_is_accepted_with_cors_for_the_site():
    body = json.dumps({**PAGE, "helpful": "nej", "rating": 2, "comment": "Svårt att hitta.",
                       "elapsed_ms": 9000}).encode()
    reply = receive("POST", "application/json", body, origin="https://www.example.se")
    assert reply.status == 200 and json.loads(reply.body) == {"ok": True}
    assert reply.headers["Access-Control-Allow-Origin"] == "https://www.example.se"
    assert reply.submission.rating == 2 and not reply.discarded


def test_a_form_answer_redirects_to_the_thank_you_page():
    body = urlencode({**PAGE, "helpful": "ja", "rating": "5", "comment": "", "email": "",
                      "website": "", "return_url": "https://www.example.se/trygghet/tack/"})
    reply = receive("POST", "application/x-www-form-urlencoded", body.encode())
    assert reply.status == 303
    assert reply.headers["Location"] == "https://www.example.se/trygghet/tack/"
    assert reply.submission.email is None and reply.submission.rating == 5


def test_a_return_address_on_another_site_is_refused():
    body = urlencode({**PAGE, "helpful": "ja", "return_url": "https://evil.example/"})
    assert receive("POST", "application/x-www-form-urlencoded", body.encode()).status == 400


def test_an_empty_answer_and_a_too_long_comment_are_refused_with_reasons():
    reply = receive("POST", "application/json", json.dumps(PAGE).encode())
    assert reply.status == 400
    assert "at least one question" in reply.body.decode()
    long = json.dumps({**PAGE, "comment": "x" * 1001}).encode()
    errors = json.loads(receive("POST", "application/json", long).body)["errors"]
    assert errors[0]["field"] == "comment"


def test_bots_are_answered_as_success_but_not_kept():
    trapped = json.dumps({**PAGE, "helpful": "ja", "website": "http://spam"}).encode()
    too_fast = json.dumps({**PAGE, "helpful": "ja", "elapsed_ms": 300}).encode()
    for body in (trapped, too_fast):
        reply = receive("POST", "application/json", body)
        assert reply.status == 200 and reply.discarded


def test_the_published_json_schema_is_generated_from_the_contract():
    assert (ROOT / "docs/feedback.schema.json").read_text(encoding="utf-8") == json_schema_text()


def test_every_page_carries_the_form_with_page_identity_and_a_return_address(project, tmp_path):
    build_project(project, tmp_path / "site", base_url="https://www.example.se/trygghet/")
    html = (tmp_path / "site/medborgarloften/2021/index.html").read_text(encoding="utf-8")
    assert 'action="https://feedback.example.se/lidkoping/sidfeedback"' in html
    assert 'name="return_url" value="https://www.example.se/trygghet/tack/"' in html
    assert 'name="page_id" value="medborgarloften/2021/"' in html
    assert "allmän handling" in html
    assert 'href="/trygghet/personuppgifter/"' in html
    assert "<script>" not in html, "no inline script: a strict CSP must be possible"
    privacy = (tmp_path / "site/personuppgifter/index.html").read_text(encoding="utf-8")
    for part in ("personuppgiftsansvarig", "Laglig grund", "Dataskyddsombud", "Dina rättigheter"):
        assert part in privacy
    assert 'class="feedback"' not in privacy


def test_a_page_can_opt_out_and_a_build_override_wins(project, tmp_path):
    page = project / "content/rapportera.md"
    page.write_text(page.read_text(encoding="utf-8").replace("---\n", "---\nfeedback: false\n", 1),
                    encoding="utf-8")
    build_project(project, tmp_path / "site", feedback_endpoint="https://staging.example.se/f")
    assert 'class="feedback"' not in (tmp_path / "site/rapportera/index.html").read_text()
    assert 'action="https://staging.example.se/f"' in (tmp_path / "site/est/index.html").read_text()


def test_without_an_endpoint_the_build_warns_and_leaves_the_form_out(project, tmp_path):
    site_yaml = project / "data/site.yaml"
    text = site_yaml.read_text(encoding="utf-8")
    site_yaml.write_text(text.replace("  endpoint: https://feedback.example.se/lidkoping/sidfeedback\n",
                                      ""), encoding="utf-8")
    result = build_project(project, tmp_path / "site")
    assert any("no feedback endpoint" in w.text() for w in result.warnings)
    assert "feedback-form" not in (tmp_path / "site/index.html").read_text(encoding="utf-8")


def test_serve_answers_the_form_and_keeps_each_answer(project):
    port = free_port()
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--port",
                                str(port)], cwd=project, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    endpoint = f"http://127.0.0.1:{port}/_insyn/feedback"
    try:
        for _ in range(100):
            try:
                html = urllib.request.urlopen(f"http://127.0.0.1:{port}/").read().decode()
                break
            except OSError:
                time.sleep(0.1)
        assert f'action="{endpoint}"' in html
        body = json.dumps({**PAGE, "helpful": "ja", "comment": "Lokalt test."}).encode()
        request = urllib.request.Request(endpoint, body, {"Content-Type": "application/json"})
        assert json.loads(urllib.request.urlopen(request).read()) == {"ok": True}
        bad = urllib.request.Request(endpoint, b"{}", {"Content-Type": "application/json"})
        try:
            urllib.request.urlopen(bad)
            raise AssertionError("an invalid answer was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 400
        kept = Path(project / ".insyn-cache/feedback.jsonl").read_text(encoding="utf-8")
        assert json.loads(kept)["comment"] == "Lokalt test."
    finally:
        process.terminate()
        output = process.communicate(timeout=10)[0]
    assert "Feedback received" in output and "Lokalt test." in output
