"""Web pages saved as one file (``workbench/ingest/mhtml.py``): Chrome's MHTML made here by Debian's chromium
(``Page.captureSnapshot``, what "Save as… Webpage, Single File" writes), Word/IE's GBK ``.mht`` and Safari's
``.webarchive`` built with the standard library in the shape those writers give them (neither runs here)."""
from __future__ import annotations

import base64
import plistlib
import re
import struct
from email.message import EmailMessage
from email.policy import SMTP
from pathlib import Path

import pytest
from app_driver import app, ok
from fixtures.make_html import ARTICLES
from trace_fixtures import library_of_folder

from workbench import uploads
from workbench.corpus import document_from_bytes, read_document
from workbench.errors import WorkbenchError
from workbench.ingest import sniff
from workbench.trace import SourceLibrary
from workbench.trace.guidance import guidance
from workbench.trace.sources import expand_sources, read_source

FIXTURES = Path(__file__).parent / "fixtures"
CHROMIUM = Path("/usr/bin/chromium")
ARTICLE = ARTICLES[0]  # article_footnotes.html: a report page with navigation, banners, footer and three notes
PAGE_URL = ARTICLE["url"]
CANONICAL = re.compile(r'<link rel="canonical"[^>]*>')

ZH_PARAGRAPHS = [
    "数字经济是继农业经济、工业经济之后的主要经济形态。它以数据资源为关键要素，以现代信息网络为主要载体。",
    "近年来，我国数字经济发展较快、成就显著。数字基础设施规模能级大幅提升，数字产业创新能力加快提升。",
    "同时也要看到，我国数字经济大而不强、快而不优。关键领域创新能力不足，产业链供应链受制于人的局面尚未根本改变。",
]
ZH_TITLE = "关于数字经济发展的报告"
ZH_PAGE = (f'<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>{ZH_TITLE}</title></head><body>'
           '<nav><a href="/">首页</a> <a href="/news">新闻</a> <a href="/about">关于我们</a></nav>'
           f'<article><h1>{ZH_TITLE}</h1>' + "".join(f"<p>{p}</p>" for p in ZH_PARAGRAPHS) +
           '</article><footer><p>版权所有 © 2024 经济研究网。未经许可，不得转载。</p></footer></body></html>')
GIF = base64.b64decode("R0lGODlhAQABAAAAACH5BAEKAAEALAAAAAABAAEAAAICTAEAOw==")


@pytest.fixture(scope="module")
def chrome():
    """Chrome's MHTML of three pages served at web addresses (no network: the browser is answered locally):
    the Chinese page, the English report without its canonical link, and with it, reached by a tracking URL."""
    if not CHROMIUM.is_file():
        pytest.skip(f"{CHROMIUM} is missing: these tests save pages with Debian's chromium (apt-get install chromium)")
    from live_server import launch_chromium
    from playwright.sync_api import sync_playwright

    report = (FIXTURES / ARTICLE["file"]).read_text(encoding="utf-8")
    pages = {"zh": ("https://www.example.cn/report/digital.html", ZH_PAGE),
             "en": (PAGE_URL, CANONICAL.sub("", report)),
             "canonical": (PAGE_URL + "?utm_source=newsletter", report)}
    saved = {}
    with sync_playwright() as pw:
        browser = launch_chromium(pw)
        try:
            for key, (url, html) in pages.items():
                page = browser.new_page()
                body = html.encode()
                page.route("**/*", lambda route, _request, body=body: route.fulfill(
                    body=body, content_type="text/html; charset=utf-8"))
                page.goto(url)
                snapshot = page.context.new_cdp_session(page).send("Page.captureSnapshot", {"format": "mhtml"})
                saved[key] = snapshot["data"].encode("utf-8")
                page.close()
        finally:
            browser.close()
    return saved


def test_chinese_page_saved_by_chrome_reads_as_its_paragraphs_and_sentences(chrome):
    data = chrome["zh"]
    assert b"quoted-printable" in data and b"=E6=95=B0" in data and b"=\r\n" in data  # what Chrome writes
    doc = document_from_bytes(data, "digital.zh.mhtml")
    assert doc.lang == "zh" and doc.encoding == "mhtml (utf-8)"
    assert [p.text for p in doc.paragraphs] == [ZH_TITLE, *ZH_PARAGRAPHS]  # navigation and footer left out
    assert doc.paragraphs[0].kind == "heading"
    sentences = [s.text for p in doc.paragraphs[1:] for s in p.sentences]
    assert sentences == [s for p in ZH_PARAGRAPHS for s in re.findall(r"[^。]+。", p)]
    for p in doc.paragraphs:
        assert doc.original[p.start:p.end] == p.text
        assert all(doc.original[s.start:s.end] == s.text for s in p.sentences)
    assert doc.meta["url"] == "https://www.example.cn/report/digital.html" and doc.meta["title"] == ZH_TITLE


def test_english_report_keeps_its_notes_and_takes_its_url_from_the_snapshot(chrome):
    """Chrome writes in-page links as absolute addresses (``…/page#fn1``): the notes are still found; the page
    names no canonical URL, so the address it was saved from is its URL."""
    assert f'{PAGE_URL}#fn1'.encode() in chrome["en"].replace(b"=\r\n", b"")
    doc = document_from_bytes(chrome["en"], "minerals.en.mhtml")
    assert doc.meta["url"] == PAGE_URL and doc.meta["title"] == ARTICLE["title"]
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == ARTICLE["title"] and not any("cookies" in t or "Subscribe" in t for t in texts)
    notes = [p.text for p in doc.paragraphs if p.kind == "note"]
    assert notes == [f"[{n}] {text}" for n, text in enumerate(ARTICLE["notes"], 1)]
    assert any(t.endswith("countries.[1]") for t in texts)


def test_a_canonical_link_wins_over_the_address_the_page_was_saved_from(chrome):
    assert b"utm_source" in chrome["canonical"]
    assert document_from_bytes(chrome["canonical"], "page.mhtml").meta["url"] == PAGE_URL


def _cited_article() -> str:
    note = f"① Policy Review, “Critical Minerals and Allied Strategy,” {PAGE_URL}.(上网时间:2024年3月4日)"
    return "关键矿产已成为各主要经济体经济安全辩论的中心。它们的供应链集中在少数国家①。\n\n注释:\n\n" + note + "\n"


def test_a_folder_with_a_saved_page_joins_the_library_and_a_note_citing_its_url_links_to_it(chrome, tmp_path,
                                                                                           monkeypatch, capsys):
    """``library add FOLDER`` reads the .mhtml (its title and URL listed), and the note of a Chinese article
    that cites that URL is linked to it (citation guidance)."""
    from workbench.corpus import document_from_text

    emb, folder, library_dir, listed = library_of_folder(tmp_path, monkeypatch, capsys, "minerals.mhtml", chrome["en"])
    assert expand_sources([folder]) == [folder / "minerals.mhtml", folder / "other.txt"]
    assert listed["minerals.mhtml"][3:] == [ARTICLE["title"], PAGE_URL]
    library = SourceLibrary(library_dir, emb)
    article = document_from_text(_cited_article(), "cited.zh.txt", lang="zh")
    citations = guidance(article, library).citations
    assert [(c.source_name, c.how) for c in citations] == [("minerals.mhtml", "url")]
    library.close()


def _ie_mht(html: bytes, charset: str, url: str, subject: str) -> bytes:
    """What Internet Explorer's "Web Archive, single file (*.mht)" writes (Word's "Single File Web Page" is the
    same with a ``file:///`` Content-Location): a multipart/related message, the page first as quoted-printable
    in its declared charset, a picture in base64 after it, CRLF line ends."""
    root = EmailMessage(policy=SMTP)
    root["From"] = "<Saved by Windows Internet Explorer 8>"
    root["Subject"] = subject
    root["MIME-Version"] = "1.0"
    root.set_type("multipart/related")
    root.set_param("type", "text/html")
    root.preamble = "This is a multi-part message in MIME format.\r\n"
    page = EmailMessage(policy=SMTP)
    page.set_content(html, maintype="text", subtype="html", cte="quoted-printable")
    page.set_param("charset", charset)
    page["Content-Location"] = url
    picture = EmailMessage(policy=SMTP)
    picture.set_content(GIF, maintype="image", subtype="gif", cte="base64")
    picture["Content-Location"] = url.rsplit("/", 1)[0] + "/logo.gif"
    root.attach(page)
    root.attach(picture)
    return root.as_bytes()


GBK_TEXT = ["朱镕基在会上指出，要坚定不移地推进改革开放。", "他强调，必须把发展作为第一要务，推动经济高质量发展。",
            "会议要求，各地区各部门要认真贯彻落实会议精神。"]


def test_word_or_ie_mht_in_gbk_declared_gb2312():
    """The page declares gb2312 but holds a GBK-only character (镕), as Chinese pages do: read as GBK is."""
    html = ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=gb2312"><title>会议报道</title>'
            '</head><body><div class="nav">首页 | 新闻</div><h1>会议报道</h1>'
            + "".join(f"<p>{t}</p>" for t in GBK_TEXT) + "</body></html>")
    data = _ie_mht(html.encode("gbk"), "gb2312", "http://www.example.cn/news/2001/a.htm", "会议报道")
    assert sniff(data, "saved") == "mhtml"  # by its MIME header, whatever its name
    doc = document_from_bytes(data, "report.mht")
    assert doc.encoding == "mhtml (gb2312)" and [p.text for p in doc.paragraphs][-3:] == GBK_TEXT
    assert doc.meta["url"] == "http://www.example.cn/news/2001/a.htm" and doc.meta["title"] == "会议报道"
    from_word = _ie_mht(html.encode("gbk"), "gb2312", "file:///C:/D8F1A2B3/report.htm", "")
    assert "url" not in document_from_bytes(from_word, "report.mht").meta  # a file on disk is no web address


def _webarchive(html: bytes, encoding: str | None, url: str, mime: str = "text/html") -> bytes:
    """Safari's "Web Archive" format: a binary plist, the page in WebMainResource, pictures in WebSubresources."""
    main_resource = {"WebResourceData": html, "WebResourceFrameName": "", "WebResourceMIMEType": mime,
                     "WebResourceURL": url}
    if encoding:
        main_resource["WebResourceTextEncodingName"] = encoding
    subresource = {"WebResourceData": GIF, "WebResourceMIMEType": "image/gif", "WebResourceURL": url + "logo.gif"}
    return plistlib.dumps({"WebMainResource": main_resource, "WebSubresources": [subresource]},
                          fmt=plistlib.FMT_BINARY)


def test_safari_webarchive():
    report = CANONICAL.sub("", (FIXTURES / ARTICLE["file"]).read_text(encoding="utf-8"))
    data = _webarchive(report.encode(), "UTF-8", PAGE_URL)
    assert sniff(data, "minerals") == "webarchive"
    doc = document_from_bytes(data, "minerals.webarchive")
    assert doc.encoding == "webarchive (utf-8)" and doc.meta["url"] == PAGE_URL
    assert [p.text for p in doc.paragraphs if p.kind == "note"][0] == f"[1] {ARTICLE['notes'][0]}"
    page = ZH_PAGE.replace('<meta charset="utf-8">', "").replace("©", "")  # the encoding named by the archive only
    zh = _webarchive(page.encode("gbk"), "GBK", "https://www.example.cn/a/")
    assert [p.text for p in document_from_bytes(zh, "a.webarchive").paragraphs][1:] == ZH_PARAGRAPHS


def _cut_inside_html(data: bytes) -> bytes:
    assert data.count(b"Content-Type:") == 2  # the message and its one part, the page
    return data[: len(data) * 2 // 3]


def _deep_mime(depth: int) -> bytes:
    head = b'MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary="b0"\r\n\r\n'
    nested = b"".join(b'--b%d\r\nContent-Type: multipart/related; boundary="b%d"\r\n\r\n' % (i, i + 1)
                      for i in range(depth))
    return head + nested + b"--b%d\r\nContent-Type: text/html\r\n\r\n<p>x</p>\r\n" % depth


def _deep_plist(depth: int) -> bytes:
    """Arrays nested ``depth`` deep, written by hand (plistlib cannot write one that deep): header, objects
    (one-element arrays, 2-byte references), offset table, trailer."""
    objects = [b"\xa1" + struct.pack(">H", i + 1) for i in range(depth)] + [b"\xa0"]
    offsets = [8 + 3 * i for i in range(len(objects))]
    table = b"".join(struct.pack(">I", offset) for offset in offsets)
    trailer = struct.pack(">6xBBQQQ", 4, 2, len(objects), 0, 8 + sum(map(len, objects)))
    return b"bplist00" + b"".join(objects) + table + trailer


@pytest.mark.parametrize(("make", "name", "message"), [
    (lambda c: _cut_inside_html(c["zh"]), "cut.mhtml", "cut short inside its HTML"),
    (lambda c: c["zh"][: c["zh"].index(b"\r\n\r\n") + 4], "head.mhtml", "cut short after its MIME headers"),
    (lambda c: c["zh"].replace(b"Content-Type: text/html", b"Content-Type: image/png"), "x.mhtml",
     "holds no HTML part (image/png)"),
    (lambda c: b"Minutes of the meeting, typed by hand.\n", "minutes.mht", "not a saved web page"),
    (lambda c: plistlib.dumps({"WebHistoryDates": []}, fmt=plistlib.FMT_BINARY), "h.webarchive",
     "not a Safari web archive"),
    (lambda c: b"bplist00" + bytes(40), "d.webarchive", "not a readable Safari web archive"),
    (lambda c: _webarchive(b"%PDF-1.4 ...", None, "https://e.org/r.pdf", "application/pdf"), "r.webarchive",
     "holds a file of type application/pdf"),
    (lambda c: _deep_mime(1500), "deep.mhtml", "nested too deep"),  # a hostile file: RecursionError
    (lambda c: _deep_plist(5000), "deep.webarchive", "property list is damaged"),
])
def test_damaged_or_wrong_files_say_why(chrome, make, name, message):
    with pytest.raises(WorkbenchError, match=re.escape(f"{name}: ") + ".*" + re.escape(message)):
        document_from_bytes(make(chrome), name)


def test_a_page_cut_short_after_its_html_is_still_read(chrome):
    """Only the pictures and styles after the page are lost: nothing the text needs."""
    data = chrome["en"]
    cut = data[: data.index(b"Content-Type: text/css") + 100]
    assert len(document_from_bytes(cut, "cut.mhtml").alignable_sentences()) > 10


def test_corpus_page_uploads_a_saved_page(home, chrome):
    at = app().run()
    uploader = at.get("file_uploader")[0]
    assert ".mhtml" in uploader.label and ".webarchive" in uploader.label
    uploader.set_value(("digital.zh.mhtml", chrome["zh"], "multipart/related")).run()
    ok(at.button(key="add_uploads").click().run(), errors=False)
    saved = home / "corpus" / "digital.zh.mhtml"
    assert saved.read_bytes() == chrome["zh"] and uploads.corpus_files(home / "corpus") == [saved]
    assert [p.text for p in read_document(saved).paragraphs][1:] == ZH_PARAGRAPHS
    table = at.dataframe[0].value
    assert table[table["document"] == "digital.zh.mhtml"].iloc[0]["url"] == "https://www.example.cn/report/digital.html"


def test_trace_reads_a_named_saved_page_as_a_source(chrome, tmp_path):
    path = tmp_path / "minerals.mht"
    path.write_bytes(chrome["en"])
    source = read_source(path)
    assert (source.kind, source.title, source.url) == ("document", ARTICLE["title"], PAGE_URL)
    assert source.sentences[0].text == ARTICLE["title"] and "MultipartBoundary" not in source.sentences[1].text


def test_a_batch_folder_pairs_saved_pages_and_names_an_untagged_one(chrome, tmp_path):
    from workbench.batch.manifest import read_manifest

    for name, key in (("digital.zh.mhtml", "zh"), ("digital.en.mhtml", "en"), ("stray.webarchive", "en")):
        (tmp_path / name).write_bytes(chrome[key])
    manifest = read_manifest(tmp_path)
    assert [(p.zh_name, p.en_name) for p in manifest.pairs] == [("digital.zh.mhtml", "digital.en.mhtml")]
    assert manifest.unnamed == ["stray.webarchive"]  # a document with no language tag is named, not passed over
