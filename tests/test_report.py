"""``recoupe report``: one self-contained, offline HTML file whose only scripts are the bundled ones."""

from __future__ import annotations

import base64
import hashlib
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from recoupe.cli import main


@pytest.fixture(scope="session")
def report(web_build: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report.html"
    result = CliRunner().invoke(main, ["report", str(web_build["kb"]), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "stories" in result.output
    return out


def test_self_contained_and_offline(report: Path) -> None:
    html = report.read_text("utf-8")
    assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html)
    assert "<link" not in html and " src=" not in html.split("<body", 1)[0]
    assert "vis-timeline" in html and "cytoscape" in html.lower()


def test_csp_allows_only_the_bundled_scripts(report: Path) -> None:
    html = report.read_text("utf-8")
    csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert csp
    policy = unescape(csp.group(1))
    allowed = set(re.findall(r"'sha256-([^']+)'", policy))
    scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
    assert len(scripts) == len(allowed) == 3
    assert {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts} == allowed
    assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
    # Every other script element is a JSON data block, which browsers never execute.
    others = re.findall(r"<script(?! *>)([^>]*)>", html)
    assert others and all('type="application/json"' in attrs for attrs in others)


def test_hostile_article_is_escaped(report: Path) -> None:
    html = report.read_text("utf-8")
    assert "&lt;script&gt;window.__pwned" in html
    assert "<script>window.__pwned" not in html
    assert not re.search(r"<img[^>]*onerror", html) and not re.search(r"<svg[^>]*onload", html)
    assert 'href="javascript:' not in html and "<iframe" not in html


def test_contents(report: Path, web_build: dict[str, object]) -> None:
    html = report.read_text("utf-8")
    for section in ('id="stories"', 'id="events"', 'id="documents"', 'id="entities"'):
        assert section in html
    assert html.count('class="story"') >= 3
    assert 'class="summary"' in html and 'data-timeline=' in html and 'data-graph=' in html
    assert 'class="facts"' in html and "single source" in html
    assert 'class="removed"' in html          # the boilerplate each article lost, shown apart
    assert 'class="ent ' in html and 'class="date"' in html and 'class="trigger"' in html


@pytest.mark.seeds
def test_seeds_report_shows_the_date_conflict(seeds_build: dict[str, object], tmp_path: Path) -> None:
    from recoupe.web.report import write_report

    summary = write_report(Path(str(seeds_build["kb"])), tmp_path / "seeds.html")
    html = (tmp_path / "seeds.html").read_text("utf-8")
    assert summary.stories == 3 and summary.conflicts >= 1
    block = html[html.index('class="conflict-block"'):]
    block = block[: block.index("</section>")]
    assert "2021-11" in block and "2022-03" in block and block.count("<blockquote>") >= 2


def test_missing_kb_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r.html")])
    assert result.exit_code != 0 and "does not exist" in result.output
