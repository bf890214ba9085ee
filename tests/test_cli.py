"""The command: exit codes, messages without tracebacks, check writes nothing."""

import subprocess
import sys

from .conftest import ROOT


def run(project, *args):
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *args], cwd=project,
                          capture_output=True, text=True, timeout=120)


def test_build_writes_site_and_prints_a_one_line_summary(project):
    result = run(project, "--today", "2026-11-25")
    assert result.returncode == 0, result.stderr
    assert (project / "site/index.html").is_file()
    [line] = result.stdout.strip().splitlines()
    assert line.startswith("Byggde ") and " sidor " in line and line.endswith(" s.")


def test_check_validates_and_writes_nothing(project):
    result = run(project, "check")
    assert result.returncode == 0, result.stderr
    assert "Allt stämmer" in result.stdout
    assert not (project / "site").exists()


def test_invalid_input_exits_1_with_place_and_no_traceback(project):
    path = project / "data/promises/2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2021", "year: i fjol"),
                    encoding="utf-8")
    result = run(project, "check")
    assert result.returncode == 1
    assert ("data/promises/2021.yaml:5:7: fel: här ska det stå ett heltal, som 42, inte 'i fjol'"
            in result.stderr)
    assert "Traceback" not in result.stderr


def test_a_broken_template_exits_1_with_its_file_and_line(project):
    path = project / "templates/page.html"
    path.write_text(path.read_text(encoding="utf-8").replace("{% endblock %}", "{% endblok %}"),
                    encoding="utf-8")
    result = run(project, "--today", "2026-11-25")
    assert result.returncode == 1
    assert "templates/page.html:6: fel: fel i mallen: " in result.stderr, result.stderr
    assert "Traceback" not in result.stderr
    assert not (project / "site").exists()


def test_a_failed_build_leaves_the_previous_site_as_it_was(project):
    assert run(project, "--today", "2026-11-25").returncode == 0
    before = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    (project / "data/site.yaml").write_text("site_name: [oops\n", encoding="utf-8")
    result = run(project, "--today", "2026-11-25")
    assert result.returncode == 1
    assert "data/site.yaml:" in result.stderr
    after = {p: p.read_bytes() for p in (project / "site").rglob("*") if p.is_file()}
    assert after == before


def test_wrong_usage_exits_2(project):
    assert run(project, "--today", "yesterday").returncode == 2
    assert run(project, "publish").returncode == 2


def test_out_refuses_a_folder_it_did_not_make(project, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "notes.txt").write_text("mine")
    result = run(project, "--out", str(home))
    assert result.returncode == 1
    assert "skapades inte av insyn" in result.stderr
    assert (home / "notes.txt").read_text() == "mine"


def test_messages_follow_the_site_language(project):
    site_yaml = project / "data/site.yaml"
    site_yaml.write_text(site_yaml.read_text(encoding="utf-8").replace("language: sv",
                                                                       "language: en"),
                         encoding="utf-8")
    path = project / "data/promises/2021.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("year: 2021", "year: i fjol"),
                    encoding="utf-8")
    result = run(project, "check")
    assert "data/promises/2021.yaml:5:7: error: expected a whole number, like 42, not 'i fjol'" \
        in result.stderr
    assert "Nothing was written" in result.stderr


def test_check_warns_about_hard_text_with_its_line_and_verbose_sums_up_each_page(project):
    page = project / "content/rapportera.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nKontakta LPO t.ex. via 114 14.\n",
                    encoding="utf-8")
    lines = page.read_text(encoding="utf-8").splitlines()
    result = run(project, "check", "--verbose")
    assert result.returncode == 0
    assert f"content/rapportera.md:{len(lines)}: varning: förkortningen 'LPO'" in result.stderr
    assert "'t.ex.'" in result.stderr
    assert "content/rapportera.md: LIX " in result.stdout
    assert run(project, "check", "--strict").returncode == 1
