"""Files as published: .docx and .pdf of the plan read as the .txt does; bad files give clear errors."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import PLAN

from qa import IngestError, PlanError, read_document
from qa.ingest import SUPPORTED
from qa.structure import DOCUMENT_SUFFIXES, corpus_files, parse_plan

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "corpus-more"
PAGE = FIXTURES / "guobanfa-2018-121-sports-events.html"


def tree(doc):
    """What must not depend on the file type: ids, kinds, titles, labels, text, departments, metadata."""
    return doc.title, doc.number, doc.issuer, doc.date, [
        (n.id, n.kind, n.title, n.label, n.text, n.departments, n.parent, n.children) for n in doc.nodes]


@pytest.fixture(scope="module")
def plan():
    return parse_plan(PLAN)


def write_docx(path: Path, lines: list[str]) -> Path:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_pdf(path: Path, lines: list[str]) -> Path:
    """A PDF with a text layer: each line drawn as one text line, in a CJK font every PDF reader knows."""
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    # wide pages so no line wraps; 60 lines a page, so the plan spans several pages
    pdf = canvas.Canvas(str(path), pagesize=(14000, 800))
    for start in range(0, len(lines), 60):
        pdf.setFont("STSong-Light", 8)
        for row, line in enumerate(lines[start : start + 60]):
            pdf.drawString(10, 780 - 12 * row, line)
        pdf.showPage()
    pdf.save()
    return path


def test_docx_of_the_plan_parses_to_the_same_tree_as_the_txt(tmp_path, plan):
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    doc = read_document(write_docx(tmp_path / f"{PLAN.stem}.docx", lines))
    assert tree(doc) == tree(plan)
    assert doc.node(f"{PLAN.stem}/P2.G4.S2.I3").lead.name == "省金融办"


def test_pdf_of_the_plan_parses_to_the_same_tree_as_the_txt(tmp_path, plan):
    lines = PLAN.read_text(encoding="utf-8").splitlines()
    doc = read_document(write_pdf(tmp_path / f"{PLAN.stem}.pdf", lines))
    assert tree(doc) == tree(plan)
    assert len([n for n in doc.nodes if n.departments]) == 40 + 16


def test_txt_through_read_document_is_parse_plan(plan):
    assert tree(read_document(PLAN)) == tree(plan)


def test_html_page_gives_body_and_metadata_table():
    doc = read_document(PAGE)
    assert doc.key == "guobanfa-2018-121-sports-events"
    assert doc.meta["索引号"] == "000014349/2018-00217"
    assert [n.label for n in doc.nodes if n.kind == "part"][0] == "一、总体要求"
    assert doc.node(f"{doc.key}/PRE").text.startswith("体育竞赛表演产业是体育产业的重要组成部分")


def test_html_page_in_the_charset_it_declares_is_read(tmp_path):
    page = PAGE.read_text(encoding="utf-8")
    path = tmp_path / "gbk.html"
    path.write_bytes(('<meta charset="gb2312">' + page).encode("gb18030"))
    assert read_document(path).title == "国务院办公厅关于加快发展体育竞赛表演产业的指导意见"


def test_html_without_the_body_is_refused_naming_the_file(tmp_path):
    path = tmp_path / "broken.html"
    path.write_text("<html><body><table><tr><td><b>标题：</b></td><td>某文件</td></tr></table>", encoding="utf-8")
    with pytest.raises(IngestError, match=r"broken\.html: no document body found .*UCAP-CONTENT"):
        read_document(path)


def test_html_body_that_is_not_a_policy_document_names_the_file(tmp_path):
    path = tmp_path / "news.html"
    path.write_text('<div id="UCAP-CONTENT"><p>今日天气晴。</p></div>', encoding="utf-8")
    with pytest.raises(PlanError, match=r"news\.html:1: no part heading"):
        read_document(path)


def test_pdf_without_a_text_layer_is_refused(tmp_path):
    pytest.importorskip("reportlab")
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 200, 300, fill=1)  # an image-only page, as a scan is
    pdf.showPage()
    pdf.save()
    with pytest.raises(IngestError, match=r"scan\.pdf: the PDF has no text layer .*OCR"):
        read_document(path)


def test_corrupt_pdf_and_docx_are_refused(tmp_path):
    pdf = tmp_path / "bad.pdf"
    pdf.write_bytes(b"%PDF-1.4 this is not really a pdf")
    with pytest.raises(IngestError, match=r"bad\.pdf: not a readable PDF"):
        read_document(pdf)
    word = tmp_path / "bad.docx"
    word.write_bytes(b"PK not a zip")
    with pytest.raises(IngestError, match=r"bad\.docx: not a readable \.docx"):
        read_document(word)


def test_unknown_type_is_refused_listing_the_supported_ones(tmp_path):
    path = tmp_path / "plan.rtf"
    path.write_text("{\\rtf1 一、总体目标}", encoding="utf-8")
    with pytest.raises(IngestError, match=r"plan\.rtf: unknown file type '\.rtf'; supported: \.txt, \.html"):
        read_document(path)
    assert SUPPORTED == DOCUMENT_SUFFIXES


def test_oversize_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.txt"
    shutil.copy(PLAN, path)
    with pytest.raises(IngestError, match=r"big\.txt: [\d,]+ bytes is over the 1,000-byte limit"):
        read_document(path, max_bytes=1000)


def test_corpus_folder_takes_every_supported_type_and_nothing_else(tmp_path):
    for name in ("a.txt", "b.html", "c.docx", "d.pdf", "README.md", "notes.rtf"):
        (tmp_path / name).write_bytes(b"")
    assert [f.name for f in corpus_files(tmp_path)] == ["a.txt", "b.html", "c.docx", "d.pdf"]
    with pytest.raises(FileNotFoundError, match=r"no policy document \(\.txt, \.html"):
        corpus_files(tmp_path / "missing")
