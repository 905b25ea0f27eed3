"""Language-model mode against a small loopback HTTP server that stands in for a real model.

No model weights or hosted endpoint can exist on the test machines, so the server below speaks the
OpenAI chat-completions protocol and returns canned text; it stands in for vLLM, Ollama or an API.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from conftest import nid


class FakeModel(BaseHTTPRequestHandler):
    """Stands in for a real model: answers with the reply the test sets, and records the request."""

    reply = ""
    delay = 0.0
    status = 200
    requests: list[dict] = []

    def do_POST(self):  # noqa: N802 - http.server's naming
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])).decode("utf-8"))
        FakeModel.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
        if FakeModel.delay:
            threading.Event().wait(FakeModel.delay)
        payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": FakeModel.reply}}]}).encode()
        self.send_response(FakeModel.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture()
def model(monkeypatch):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeModel)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    FakeModel.requests, FakeModel.delay, FakeModel.status = [], 0.0, 200
    monkeypatch.setenv("QA_LLM_BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
    monkeypatch.setenv("QA_LLM_MODEL", "stand-in")
    monkeypatch.setenv("QA_LLM_API_KEY", "secret")
    monkeypatch.setenv("QA_LLM_TIMEOUT", "2")
    yield FakeModel
    server.shutdown()


def test_model_answer_keeps_valid_markers_and_drops_unknown_ones(assistant, model):
    model.reply = "网贷平台由省金融办牵头监管[1]，另见[9]。"
    answer = assistant.ask("网贷平台跑路了找哪个部门？")
    sent = model.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["auth"] == "Bearer secret"
    assert sent["body"]["model"] == "stand-in"
    assert "规范发展网络借贷服务" in sent["body"]["messages"][-1]["content"]  # grounded on retrieved items
    assert "[9]" not in answer.answer and "[1]" in answer.answer
    assert [c.id for c in answer.citations] == [nid("P2.G4.S2.I3")]
    assert answer.answer.endswith("[1] 二、重点行动 › （四）互联网+金融 › 行动任务 › 规范发展网络借贷服务")
    assert answer.note is None


def test_model_timeout_falls_back_to_the_composed_answer_and_says_so(assistant, model):
    model.delay, model.reply = 3.0, "太慢了"
    answer = assistant.ask("网贷平台跑路了找哪个部门？")
    assert answer.note and "语言模型不可用" in answer.note
    assert "牵头部门：省金融办" in answer.answer


def test_model_error_status_falls_back(assistant, model):
    model.status, model.reply = 500, "boom"
    answer = assistant.ask("Which department leads cross-border e-commerce?")
    assert answer.note and answer.note.startswith("The language model was unavailable")
    assert answer.lead_department == "省商务厅"


def test_declined_questions_never_reach_the_model(assistant, model):
    answer = assistant.ask("山东省2020年的GDP是多少？")
    assert answer.abstained and model.requests == []


def test_model_mode_is_off_by_default(assistant, monkeypatch):
    monkeypatch.delenv("QA_LLM_BASE_URL", raising=False)
    assert assistant.ask("网贷平台跑路了找哪个部门？").note is None
