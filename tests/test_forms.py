"""HTML pages and Word files: sniffed from content, read from the markup, shared pipeline after that."""

import io
import json
import shutil
import zipfile
from pathlib import Path

import docx
import pytest
from conftest import DATA
from docx.oxml.ns import qn

from ogi_extract import predict
from ogi_extract.errors import (
    CorruptFileError,
    EmptyFileError,
    NeedsLibreOfficeError,
    NotAPdfError,
    UnsupportedFormatError,
)
from ogi_extract.inference.load import load_document
from ogi_extract.inference.readers.encoding import decode
from ogi_extract.inference.sniff import sniff
from ogi_extract.settings import Settings
from ogi_extract.training.synth.document import Report
from ogi_extract.training.synth.markup import mht, report_html, write_docx

SEEDS = Path(__file__).parents[1] / "annotations" / "seeds"
ZHENHAI = "001_c76baea7d958f164"  # ogi2019, 198 metrics, a broken total row as printed
NINGBO = "000_9883ccc3c4a509fd"  # ogi2008


def _report(stem: str) -> Report:
    return Report.load(SEEDS / f"{stem}.json")


def _assert_truth(result, report: Report) -> None:
    truth = report.truth()
    assert (result.agency, result.year, result.format) == (truth["agency"], truth["year"], truth["format"])
    wrong = {k: (v, result.values.get(k, "missing")) for k, v in truth["metrics"].items()
             if result.values.get(k, "missing") != v}
    assert not wrong
    assert set(result.values) == set(truth["metrics"])


@pytest.mark.parametrize("stem", [ZHENHAI, NINGBO])
def test_portal_page_in_gbk_with_word_markup_yields_every_truth_value(tmp_path, stem):
    report = _report(stem)
    page = tmp_path / "report.html"
    page.write_bytes(report_html(report, portal=True))
    assert b"charset=gb2312" in page.read_bytes()[:600]
    result = predict(page)
    _assert_truth(result, report)
    m = next(iter(result.metrics.values()))
    assert m.source == "markup" and m.table is not None and m.cell is not None and m.box is None
    assert not result.timings.get("ocr")


@pytest.mark.parametrize("encoding", ["utf-8", "gbk"])
def test_real_published_page_yields_every_truth_value(tmp_path, encoding):
    page = DATA / "html" / "shanghai_szfbgt_2019.html"
    if encoding != "utf-8":  # the same page as a GBK portal serves it
        text = page.read_text(encoding="utf-8").replace('charset="utf-8"', 'charset="gb2312"')
        page = tmp_path / "report.htm"
        page.write_bytes(text.encode(encoding))
    result = predict(page)
    truth = json.loads((DATA / "html" / "truth" / "shanghai_szfbgt_2019.json").read_text(encoding="utf-8"))
    assert (result.agency, result.year, result.format) == (truth["agency"], truth["year"], truth["format"])
    assert result.values == truth["metrics"]
    assert result.metrics["art20.procurement.amount"].raw == "251000元"  # converted to 万元, printed text kept


def test_docx_yields_every_truth_value_with_table_and_cell_provenance(tmp_path):
    report = _report(ZHENHAI)
    result = predict(write_docx(report, tmp_path / "report.docx"))
    _assert_truth(result, report)
    # provenance: the cell the value sits in, in the source table
    table = [b for b in report.blocks if b.kind == "table"]
    first = result.metrics["applications.new.natural_person"]
    cell = next(c for c in table[first.table - 1].cells if c.metric_id == "applications.new.natural_person")
    assert first.cell == (cell.row, cell.col)


def test_kind_is_sniffed_from_content_not_extension(tmp_path):
    report = _report(ZHENHAI)
    html_as_pdf = tmp_path / "report.pdf"
    html_as_pdf.write_bytes(report_html(report))
    docx_as_html = write_docx(report, tmp_path / "x.docx").rename(tmp_path / "report.htm")
    assert sniff(html_as_pdf.read_bytes()) == "html"
    assert sniff(docx_as_html.read_bytes()) == "docx"
    assert sniff((DATA / "digital" / f"{ZHENHAI}.pdf").read_bytes()) == "pdf"
    assert sniff((DATA / "images" / "huaian_2024_p4_art20.png").read_bytes()) == "image"
    for path in (html_as_pdf, docx_as_html):
        _assert_truth(predict(path), report)


def test_plain_text_and_other_zips_are_refused_with_typed_errors(tmp_path):
    text = tmp_path / "report.html"
    text.write_text("政府信息公开 < 3 just text, no markup", encoding="utf-8")
    with pytest.raises(NotAPdfError, match="report.html"):
        load_document(text, Settings())
    ofd = io.BytesIO()
    with zipfile.ZipFile(ofd, "w") as z:
        z.writestr("OFD.xml", "<ofd:OFD/>")
    with pytest.raises(UnsupportedFormatError, match="OFD"):
        load_document(ofd.getvalue(), Settings())
    with pytest.raises(EmptyFileError):
        load_document(b"<html><body><script>var a = 1;</script></body></html>", Settings())
    broken = io.BytesIO()
    with zipfile.ZipFile(broken, "w") as z:
        z.writestr("word/document.xml", "<w:document")
    with pytest.raises(CorruptFileError, match="Word"):
        load_document(broken.getvalue(), Settings())


def test_legacy_word_without_libreoffice_says_it_is_needed(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a machine without LibreOffice
    ole2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504
    for data in (ole2, b"{\\rtf1\\ansi\\ansicpg936 report}"):
        with pytest.raises(NeedsLibreOfficeError, match="LibreOffice"):
            load_document(data, Settings())


@pytest.mark.parametrize("target, kind", [("doc", "doc"), ("rtf", "rtf")])
def test_legacy_word_and_rtf_are_converted_by_libreoffice(tmp_path, target, kind):
    import subprocess

    report = _report(NINGBO)
    write_docx(report, tmp_path / "report.docx")
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    target, "--outdir", str(tmp_path), str(tmp_path / "report.docx")], check=True, capture_output=True,
                   timeout=180)
    doc = (tmp_path / f"report.{target}").rename(tmp_path / "report.wps")  # WPS saves .doc's OLE2; RTF is named .doc
    assert sniff(doc.read_bytes()) == kind
    _assert_truth(predict(doc), report)


@pytest.mark.parametrize("encoding, declared", [
    ("utf-8", "utf-8"), ("gbk", "gb2312"), ("gb18030", "gbk"), ("gb18030", None), ("gbk", "utf-8"),
])
def test_encodings_declared_detected_or_misdeclared(encoding, declared):
    text = "<p>宁波市公安局镇海分局2019年度政府信息公开工作年度报告</p><p>本年新收政府信息公开申请数量：𠮷12件。依申请公开。</p>" * 3
    if encoding == "gbk":
        text = text.replace("𠮷", "")  # GBK has no such character; GB18030 has every one
    meta = f'<meta http-equiv="Content-Type" content="text/html; charset={declared}">' if declared else ""
    data = f"<html><head>{meta}</head><body>{text}</body></html>".encode(encoding)
    assert "宁波市公安局镇海分局" in decode(data) and "政府信息公开申请" in decode(data)


def _grid(html: str) -> list[list[str]]:
    page = load_document(html.encode("utf-8"), Settings()).pages[0]
    table = page.tables[0]
    return [[c.text if c is not None else "?" for c in row] for row in table.grid()]


def test_rowspan_colspan_nbsp_and_numbers_split_over_tags():
    html = """<table border=1>
    <tr><td rowspan=2>项目</td><td colspan=2>申请人</td><td rowspan="0">备注</td></tr>
    <tr><td>自然人</td><td>法人</td></tr>
    <tr><td><p class=MsoNormal><span lang=EN-US>本年新收<o:p></o:p></span></p></td>
        <td><span>1</span><span style="x">2<o:p></o:p></span>3</td><td>&nbsp;</td></tr>
    <tr><td>结转</td><td></td><td>4 5</td></tr></table>"""
    assert _grid(html) == [
        ["项目", "申请人", "申请人", "备注"],
        ["项目", "自然人", "法人", "备注"],
        ["本年新收", "123", "", "备注"],
        ["结转", "", "45", "备注"],
    ]


def test_layout_tables_are_read_as_text_and_the_article_found_in_page_chrome():
    rows = "".join(f"<tr><td>（{i}）本年新收</td><td>{i}</td><td>0</td></tr>" for i in range(3))
    html = f"""<html><body><table width=100%><tr><td>
      <div class=nav><a href=/>首页</a><a href=/x>政务公开</a><a href=/y>政府信息公开年报</a></div>
      <ul><li><a href=/a>某局2018年度政府信息公开工作年度报告</a></li></ul>
      <h1 class=title>某市某局2019年度政府信息公开工作年度报告</h1>
      <div id=zoom><p>一、总体情况</p><p>{'本年度我局认真贯彻条例。' * 20}</p>
      <table>{rows}</table></div>
      <div class=footer>版权所有 某市人民政府 备案号</div></td></tr></table></body></html>"""
    page = load_document(html.encode("utf-8"), Settings()).pages[0]
    lines = [w.text for w in page.words if not any(c.words and w is c.words[0] for t in page.tables for c in t.cells)]
    assert lines[0] == "某市某局2019年度政府信息公开工作年度报告"
    assert "首页" not in " ".join(lines) and "版权所有" not in " ".join(lines) and "2018" not in " ".join(lines)
    assert len(page.tables) == 1 and (page.tables[0].n_rows, page.tables[0].n_cols) == (3, 3)


def test_docx_merged_cells_resolve_to_spans(tmp_path):
    document = docx.Document()
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).merge(table.cell(1, 0)).text = "项目"
    table.cell(0, 1).merge(table.cell(0, 2)).text = "申请人"
    for (r, c), text in {(1, 1): "自然人", (1, 2): "法人", (2, 0): "本年新收", (2, 1): "12", (2, 2): ""}.items():
        table.cell(r, c).text = text
    tbl = table._tbl  # wrapped in a content control (w:sdt), as form templates do
    sdt = tbl.makeelement(qn("w:sdt"), {})
    content = sdt.makeelement(qn("w:sdtContent"), {})
    tbl.addprevious(sdt)
    content.append(tbl)
    sdt.append(content)
    path = tmp_path / "t.docx"
    document.save(str(path))
    page = load_document(path, Settings()).pages[0]
    grid = [[c.text for c in row] for row in page.tables[0].grid()]
    assert grid == [["项目", "申请人", "申请人"], ["项目", "自然人", "法人"], ["本年新收", "12", ""]]


def test_local_images_in_a_page_are_read_by_ocr_in_document_order(tmp_path):
    shutil.copy(DATA / "images" / "huaian_2024_p4_applications.png", tmp_path / "t1.png")
    html = ("<html><body><h1>淮安市人民政府2024年政府信息公开工作年度报告</h1><p>一、总体情况</p>"
            "<p>三、收到和处理政府信息公开申请情况</p><p><img src='t1.png'></p><p>四、其他</p>"
            "<img src='http://example.gov.cn/remote.png'></body></html>")
    page = tmp_path / "report.shtml"
    page.write_text(html, encoding="utf-8")
    doc = load_document(page, Settings())
    assert [p.markup for p in doc.pages] == [True, False, True]
    result = predict(page)
    assert result.pages == 3 and result.year == 2024
    assert any("remote.png" in w for w in result.warnings)
    assert any(m.source == "ocr" and m.page == 2 for m in result.metrics.values())


def test_cli_reads_a_folder_of_html_and_word_reports(tmp_path):
    from ogi_extract.cli import main as cli

    folder = tmp_path / "portal"
    folder.mkdir()
    report = _report(NINGBO)
    (folder / "2017.shtml").write_bytes(report_html(report, portal=True))
    write_docx(report, folder / "2017.docx")
    (folder / "notes.txt").write_text("not a report", encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert cli(["predict", str(folder), "-o", str(out), "-q"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert sorted(Path(r["file"]).name for r in records) == ["2017.docx", "2017.shtml"]
    for r in records:
        assert r["metrics"] == report.truth()["metrics"]
        assert r["details"]["metrics"]["proactive.total"]["table"] is not None


def test_a_page_saved_as_one_mht_file_is_read_as_its_html(tmp_path):
    report = _report(ZHENHAI)
    path = tmp_path / "report.mht"
    path.write_bytes(mht(report_html(report, portal=True), "gbk"))
    assert sniff(path.read_bytes()) == "mht"
    _assert_truth(predict(path), report)
    png = (DATA / "images" / "huaian_2024_p4_art20.png").read_bytes()
    html = "<html><body><p>二、主动公开政府信息情况</p><img src='report.files/image001.png'><p>三、其他</p></body></html>"
    saved = mht(html.encode("utf-8"), "utf-8", {"file:///C:/Users/x/report.files/image001.png": png})
    doc = load_document(saved, Settings())
    assert [p.markup for p in doc.pages] == [True, False, True] and doc.pages[1].image.shape[:2] == (488, 1000)


def test_a_page_that_is_little_more_than_its_title_still_reads():
    html = "<html><body><p>某局</p><h1>某市某局2019年度政府信息公开工作年度报告（全文见附件）</h1></body></html>"
    page = load_document(html.encode("utf-8"), Settings()).pages[0]
    assert [w.text for w in page.words][-1] == "某市某局2019年度政府信息公开工作年度报告（全文见附件）"
