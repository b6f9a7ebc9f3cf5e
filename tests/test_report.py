"""``recoupe report``: a folder of self-contained, offline HTML pages whose only scripts are the bundled ones."""

from __future__ import annotations

import base64
import hashlib
import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from recoupe.cli import main


@pytest.fixture(scope="session")
def report(web_build: dict[str, object], tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("report") / "report"
    result = CliRunner().invoke(main, ["report", str(web_build["kb"]), "--out", str(out), "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["index"] == str(out / "index.html") and summary["stories"] >= 3
    assert summary["pages"] == len(list(out.rglob("*.html")))
    return out


def _pages(report: Path) -> list[Path]:
    return sorted(report.rglob("*.html"))


def test_every_page_is_self_contained_and_offline(report: Path) -> None:
    for page in _pages(report):
        html = page.read_text("utf-8")
        assert not re.search(r"""<(script|link|img|iframe)[^>]+(src|href)=["']?(https?:)?//""", html), page
        assert "<link" not in html and " src=" not in html.split("<body", 1)[0], page
        # every relative link points to a page of the report
        for href in re.findall(r'href="([^"#]+)(?:#[^"]*)?"', html):
            assert (page.parent / unescape(href)).resolve().is_file(), (page, href)


def test_csp_allows_only_the_scripts_of_the_page(report: Path) -> None:
    drawn = 0
    for page in _pages(report):
        html = page.read_text("utf-8")
        csp = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)"', html)
        assert csp, page
        policy = unescape(csp.group(1))
        allowed = set(re.findall(r"'sha256-([^']+)'", policy))
        scripts = re.findall(r"<script>(.*?)</script>", html, flags=re.S)
        assert {base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in scripts} == allowed
        if not scripts:
            assert "script-src 'none'" in policy, page
        assert "unsafe-inline" not in policy.split("script-src")[1].split(";")[0]
        others = re.findall(r"<script(?! *>)([^>]*)>", html)
        assert all('type="application/json"' in attrs for attrs in others)
        drawn += html.count("<script>") >= 2
    assert drawn >= 1  # the timeline library is inlined where a story has dated events


def test_hostile_article_is_escaped(report: Path) -> None:
    html = "\n".join(p.read_text("utf-8") for p in _pages(report))
    assert "&lt;script&gt;window.__pwned" in html
    assert "<script>window.__pwned" not in html
    assert not re.search(r"<img[^>]*onerror", html) and not re.search(r"<svg[^>]*onload", html)
    assert 'href="javascript:' not in html and "<iframe" not in html


@pytest.mark.issue(17)
def test_index_links_to_story_pages_and_citations_name_outlet_title_date(report: Path,
                                                                         web_build: dict[str, object]) -> None:
    index = (report / "index.html").read_text("utf-8")
    stories = re.findall(r'href="(stories/[^"]+\.html)"', index)
    assert len(stories) >= 3 and 'data-filter="table.stories tbody tr"' in index
    story = (report / stories[0]).read_text("utf-8")
    assert 'class="summary"' in story and 'class="facts"' in story
    docs = {json.loads(line)["id"]: json.loads(line) for line in
            (Path(str(web_build["export"])) / "documents.jsonl").read_text("utf-8").splitlines()}
    cited = re.findall(r'<a class="citation" href="\.\./documents/([^"]+)\.html"><span class="outlet">([^<]*)</span> · '
                       r'<span class="title">([^<]*)</span> · <span class="date">([^<]*)</span>', story)
    assert cited
    for doc_id, outlet, title, day in cited:
        doc = docs[doc_id]
        assert unescape(outlet) == (doc["outlet"] or "outlet unknown")
        assert unescape(title) == (doc["title"] or doc_id)
        assert day == ((doc["published"]["value"] or "")[:10] or "undated")


def test_contents(report: Path) -> None:
    html = "\n".join(p.read_text("utf-8") for p in _pages(report))
    assert 'class="summary"' in html and 'data-timeline=' in html and 'data-graph=' in html
    assert 'class="facts"' in html and "single source" in html
    assert 'class="removed"' in html          # the boilerplate each article lost, shown apart
    assert 'class="ent ' in html and 'class="date"' in html and 'class="trigger"' in html
    assert (report / "entities.html").read_text("utf-8").count('<tr id="entity-') >= 10


@pytest.mark.seeds
def test_seeds_report_shows_the_date_conflict(seeds_build: dict[str, object], tmp_path: Path) -> None:
    from recoupe.web.report import write_report

    summary = write_report(Path(str(seeds_build["kb"])), tmp_path / "seeds")
    assert summary.stories == 3 and summary.conflicts >= 1
    pages = [p.read_text("utf-8") for p in (tmp_path / "seeds" / "stories").iterdir()]
    html = next(p for p in pages if 'class="conflict-block"' in p and "2022-03" in p)
    block = html[html.index('class="conflict-block"'):]
    block = block[: block.index("</section>")]
    assert "2021-11" in block and "2022-03" in block and block.count("<blockquote>") >= 2


def test_missing_kb_is_a_clear_error(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["report", str(tmp_path / "none.duckdb"), "--out", str(tmp_path / "r")])
    assert result.exit_code == 1 and "[R402]" in result.output
