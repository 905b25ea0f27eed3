"""The 文库 tab and the document filters as plain functions, on a small library indexed with the fake embedder."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import gradio as gr
import pytest
from conftest import PLAN, ROOT, FakeEmbedder, import_app

from qa import Assistant, Settings, build
from webapp import chat, departments, library, outline, render, state

GUOFA_42 = ROOT / "tests" / "fixtures" / "corpus-more" / "guofa-2018-42-agricultural-mechanization.html"
GUOFA_42_TITLE = "国务院关于加快推进农业机械化和农机装备产业转型升级的指导意见"


def served(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, *files: Path, uploads: bool = True) -> Assistant:
    """The app serving a library of these files (indexed with the fake embedder), uploads on or off."""
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for f in files:
        shutil.copy(f, corpus / f.name)
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index", embedder="e5")
    embedder = FakeEmbedder()
    build(settings, show_bar=False, embedder=embedder)
    assistant = Assistant(settings, embedder=embedder)
    monkeypatch.setattr(state, "_assistant", assistant)
    monkeypatch.setattr(library, "_uploads", uploads)
    monkeypatch.setattr(chat, "STREAM_DELAY", 0)
    return assistant


def corpus_of(assistant: Assistant) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in Path(assistant.settings.corpus_dir).iterdir()}


def cells(table: str) -> list[list[str]]:
    """The table's body rows as lists of cell texts."""
    return [[re.sub(r"<[^>]+>", "", c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1])]


def upload_copy(tmp_path: Path, source: Path, name: str | None = None) -> str:
    """The file as Gradio hands it over: a copy in its own folder, under the name it was uploaded with."""
    folder = tmp_path / "upload"
    folder.mkdir(exist_ok=True)
    target = folder / (name or source.name)
    shutil.copy(source, target)
    return str(target)


# ---------------------------------------------------------------- the table


def test_library_table_gives_each_document_s_number_date_and_counts(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN, GUOFA_42)
    table, *_ = library.on_load()
    rows = {row[0]: row[1:] for row in cells(table)}
    assert rows[PLAN.stem][1:4] == ["鲁政发〔2016〕14号", "2016年6月2日", "56"]
    assert rows[GUOFA_42.stem][:4] == [GUOFA_42_TITLE, "国发〔2018〕42号", "2018年12月21日", "18"]
    assert list(rows) == assistant.doc_ids()


def test_file_sizes_read_as_people_say_them():
    assert [library.file_size(n) for n in (20 * 2**20, 3 * 2**19, 48_000, 10)] == ["20 MB", "1.5 MB", "47 KB", "1 KB"]


def test_library_html_escapes_and_says_when_empty():
    row = {"id": "x", "title": "<b>标题</b>", "number": "", "date": "", "tasks": 2, "departments": ["甲", "乙", "丙"]}
    html = render.library_html([row])
    assert "&lt;b&gt;标题&lt;/b&gt;" in html and "<td>—</td>" in html
    assert '<td class="qa-num">2</td><td class="qa-num">3</td>' in html
    assert "还没有文件" in render.library_html([])


# ---------------------------------------------------------------- the upload


def test_upload_is_hidden_and_refused_without_a_login_or_the_flag(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN, uploads=False)
    before = corpus_of(assistant)
    _, control, *_ = library.on_load()
    assert control["visible"] is False
    note, *rest = library.upload(upload_copy(tmp_path, GUOFA_42))
    assert "上传未开启" in note and "--allow-upload" in note
    assert corpus_of(assistant) == before and state._assistant is assistant


def test_a_login_or_the_flag_turns_the_upload_on(monkeypatch):
    monkeypatch.setattr(library, "_uploads", False)
    called = {}
    app = import_app()
    monkeypatch.setattr(app, "launch", lambda *a, **kw: called.update(kw))
    monkeypatch.delenv("QA_AUTH", raising=False)
    assert app.main(["--allow-upload"]) == 0 and called["allow_upload"] is True
    assert app.main([]) == 0 and called["allow_upload"] is False


def test_launch_allows_uploads_with_a_login_or_the_flag_only(monkeypatch):
    from webapp import api, page

    monkeypatch.setattr(page.demo, "launch", lambda **kw: None)
    monkeypatch.setattr(api, "json_tool_results", lambda demo: None)
    monkeypatch.setattr(library, "_uploads", False)
    for auth, flag, allowed in ((None, False, False), (("u", "p"), False, True), (None, True, True)):
        page.launch(auth=auth, allow_upload=flag, prevent_thread_lock=True)
        assert library.uploads_allowed() is allowed, (auth, flag)


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("plan.zip", b"PK\x03\x04", "不支持这种文件类型"),
    ("notes.txt", "随便写的几句话，没有标题也没有部分。".encode(), "无法把它读成一份政策文件，文库没有改变"),
    ("scan.pdf", b"%PDF-1.4 not really", "无法把它读成一份政策文件"),
])
def test_a_bad_file_is_refused_in_chinese_and_changes_nothing(tmp_path, monkeypatch, name, content, expected):
    assistant = served(tmp_path, monkeypatch, PLAN)
    before = corpus_of(assistant)
    bad = tmp_path / name
    bad.write_bytes(content)
    note, *rest = library.upload(str(bad))
    assert expected in note and name in note
    assert not any(isinstance(r, str) for r in rest)  # the table and the filters are left as they are
    assert corpus_of(assistant) == before and state._assistant is assistant


def test_an_oversized_file_is_refused_before_it_is_read(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN)
    monkeypatch.setattr(library, "MAX_FILE_BYTES", 1024)
    note, *_ = library.upload(upload_copy(tmp_path, GUOFA_42))
    size = library.file_size(Path(GUOFA_42).stat().st_size)
    assert f"未加入「{GUOFA_42.name}」：文件有 {size}，超过 1 KB 的上限。" in note and size.endswith(" KB")
    assert GUOFA_42.name not in corpus_of(assistant)


def test_a_good_file_is_added_indexed_listed_and_offered_in_the_filters(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN)
    assert library.on_load()[2]["visible"] is False  # one document: no filter to choose from
    note, table, chat_filter, dept_filter, outline_filter = library.upload(upload_copy(tmp_path, GUOFA_42))
    assert note == render.esc(f"已加入《{GUOFA_42_TITLE}》（{GUOFA_42.stem}），文库现有 2 份文件。")
    assert GUOFA_42.stem in table and "国发〔2018〕42号" in table
    reloaded = state._assistant
    assert reloaded is not assistant and sorted(reloaded.doc_ids()) == sorted([GUOFA_42.stem, PLAN.stem])
    assert reloaded.index.embedder is assistant.index.embedder  # no second model load
    for dropdown in (chat_filter, dept_filter, outline_filter):
        assert dropdown["visible"] is True and dropdown["value"] == library.ALL
        assert [v for _, v in dropdown["choices"]] == [library.ALL, *reloaded.doc_ids()]
    assert "国发〔2018〕42号" in dict((v, k) for k, v in chat_filter["choices"])[GUOFA_42.stem]


def test_a_reload_that_fails_after_adding_is_a_message_and_the_old_library_keeps_answering(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN)

    def broken():
        raise OSError("index unreadable")

    monkeypatch.setattr(state, "reload", broken)
    note, *others = library.upload(upload_copy(tmp_path, GUOFA_42))
    assert library.RELOAD_FAILED.format(name=GUOFA_42.name) in note
    assert all(o is gr.skip() or o == gr.skip() for o in others)
    assert state._assistant is assistant and assistant.ask("网贷平台跑路了找哪个部门？").citations
    assert GUOFA_42.name in corpus_of(assistant)  # the document is in; a restart serves it


# ---------------------------------------------------------------- the filters


def test_the_chat_filter_passes_one_document_or_none_to_ask(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN, GUOFA_42)
    seen = []
    real_ask = assistant.ask

    def spy(question, history=(), doc=None):
        seen.append(doc)
        return real_ask(question, history=history, doc=doc)

    monkeypatch.setattr(assistant, "ask", spy)
    for choice in (GUOFA_42.stem, library.ALL, None):
        list(chat.chat("农机装备由哪个部门负责？", [], [], choice))
    assert seen == [GUOFA_42.stem, None, None]


def test_department_view_and_list_work_per_document_and_across_all(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN, GUOFA_42)
    national = "农业农村部"
    assert national in departments.department_choices(GUOFA_42.stem)["choices"]
    assert national not in departments.department_choices(PLAN.stem)["choices"]
    assert departments.department_choices(library.ALL)["choices"] == assistant.departments()
    everywhere = departments.department_view(national, library.ALL)
    assert everywhere == departments.department_view(national, GUOFA_42.stem) and "牵头的任务" in everywhere
    assert "这份文件没有列出农业农村部的任务" in departments.department_view(national, PLAN.stem)
    hits = departments.topic_departments("农机装备", PLAN.stem)
    assert national not in hits


def test_outline_shows_one_document_or_all(tmp_path, monkeypatch):
    assistant = served(tmp_path, monkeypatch, PLAN, GUOFA_42)
    entries, tree = outline.outline_for(GUOFA_42.stem)
    assert {v.split("/")[0] for _, v in entries["choices"]} == {GUOFA_42.stem}
    assert "农业机械化" in tree and "互联网+金融" not in tree
    entries, tree = outline.outline_for(library.ALL)
    assert len(entries["choices"]) == len(assistant.nodes) and "互联网+金融" in tree
