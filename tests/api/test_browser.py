"""The web UI in headless Chromium (Debian `chromium`, driven by Playwright): ask and open a
citation; upload a policy document and get an answer from it; upload a report and see its
findings. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import httpx
import pytest
from support.browser import ARTIFACTS, CHROMIUM, ROOT, SKIP_REASON, shot

pytestmark = [pytest.mark.slow, pytest.mark.skipif(not CHROMIUM.exists(), reason=SKIP_REASON)]
sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed: "
                               "pip install playwright (scripts/install.sh --test)")

POLICY = """某市工业和信息化局关于开展绿色工厂梯度培育工作的通知

一、工作目标
到2027年，全市累计培育市级绿色工厂不少于60家。

二、申报条件
申报企业应当近三年未发生较大及以上安全、环保、质量事故，且单位产品综合能耗达到行业先进值。
"""


@pytest.fixture
def server(private_server):
    return private_server[0]


@pytest.fixture
def page(browser, server, request):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(server.url + "/")
    page.wait_for_selector("body[data-ready=true]")
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{request.node.name}-final.png", full_page=True)
    # stringified objects are the classic DOM-building slip; none may reach the page
    shown = page.evaluate("document.body.innerText + [...document.querySelectorAll('option')]"
                          ".map(o => o.textContent).join(' ')")
    context.close()
    assert not errors, errors
    assert "[object " not in shown and "\nnull\n" not in f"\n{shown}\n", shown


def ask(page, question: str):
    count = page.locator(".msg.assistant").count()
    page.fill("#question", question)
    page.click("#ask-button")
    answer = page.locator(".msg.assistant").nth(count)
    answer.locator(".sources, .notes").first.wait_for()
    return answer


def test_ask_and_click_a_citation(page):
    regions = page.locator("#filter-region option")
    regions.nth(1).wait_for(state="attached")
    assert "广东省" in regions.all_inner_texts()
    answer = ask(page, "什么情况下企业必须实施强制性清洁生产审核？")
    assert "[1]" in answer.locator(".text").inner_text()
    answer.locator(".text .cite").first.click()
    panel = page.locator("#quote-panel")
    panel.wait_for(state="visible")
    assert "中华人民共和国清洁生产促进法" in panel.inner_text()
    assert page.locator("#quote-panel dd[data-field=条款]").inner_text() == "第二十七条"
    assert page.locator("#quote-panel dd[data-field=页码]").inner_text() == "第 5 页"
    assert "强制性清洁生产审核" in page.locator("#quote-text").inner_text()
    shot(page, "chat-citation")

    follow = ask(page, "那需要向哪些部门报告审核结果呢？")
    assert follow.locator(".resolved").count() == 1
    shot(page, "chat-follow-up")


def test_a_follow_up_is_sent_with_what_the_last_answer_quoted(page):
    first = ask(page, "重点排污单位要公开哪些环境信息？")
    assert "第五十五条" in first.locator(".text").inner_text()
    with page.expect_request("**/v1/ask") as sent:
        follow = ask(page, "那不公开呢？")
    body = sent.value.post_data_json
    assert body["history"] == ["重点排污单位要公开哪些环境信息？"]
    assert "重点排污单位应当如实向社会公开" in body["previous_answer"]
    # asked what happens to whoever does not disclose: the disclosure article is not the answer
    text = follow.locator(".text").inner_text()
    assert "[1]" in text and "第五十五条" not in text


def test_a_refusal_shows_its_context_apart_from_the_answer(page):
    answer = ask(page, "清洁生产审核评估验收专家的劳务费标准是多少？")
    assert "abstained" in answer.get_attribute("class")
    assert "现有文件提到" in answer.locator(".text").inner_text()
    block = answer.locator(".context-block")
    assert block.count() == 1
    assert block.locator(".context-label").inner_text() == "相关内容（仅供参考，不是答案）"
    assert len(block.locator("blockquote").first.inner_text()) >= 10
    assert "《" in block.locator("figcaption").first.inner_text()
    # context is not a citation: no numbered source list, no [n] to click
    assert answer.locator(".sources").count() == 0 and answer.locator(".cite").count() == 0
    shot(page, "chat-refusal-context")


def test_upload_a_policy_and_get_an_answer_from_it(page, tmp_path):
    source = tmp_path / "绿色工厂通知.txt"
    source.write_text(POLICY, "utf-8")
    page.click("nav a[data-view=corpus]")
    page.wait_for_selector("#doc-rows tr")
    form = page.locator("#upload-form")
    form.locator("input[name=file]").set_input_files(str(source))
    form.locator("input[name=title]").fill("某市绿色工厂梯度培育通知")
    form.locator("input[name=region]").fill("某市")
    form.locator("input[name=id]").fill("green-factory")
    page.click("#upload-button")
    page.wait_for_selector("#upload-message .alert.ok")
    assert "已添加《某市绿色工厂梯度培育通知》" in page.inner_text("#upload-message")
    page.wait_for_selector("#doc-rows tr[data-id=green-factory]")
    shot(page, "corpus-uploaded")

    page.click("nav a[data-view=chat]")
    answer = ask(page, "申报市级绿色工厂的企业应当满足什么条件？")
    answer.locator(".text .cite").first.click()
    assert "某市绿色工厂梯度培育通知" in page.locator("#quote-panel").inner_text()
    shot(page, "chat-from-uploaded-policy")


def test_corrupt_policy_upload_shows_the_reason(page, tmp_path):
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"%PDF-1.7\n this is not really a pdf")
    page.click("nav a[data-view=corpus]")
    form = page.locator("#upload-form")
    form.locator("input[name=file]").set_input_files(str(bad))
    form.locator("input[name=title]").fill("坏文件")
    page.click("#upload-button")
    page.wait_for_selector("#upload-message .alert.error")
    assert "PDF 文件已损坏" in page.inner_text("#upload-message")
    assert page.locator("#upload-message .alert.error").is_visible()


def report_fixture() -> Path:
    generated = ROOT / "tests/fixtures/reports/generated/defect-team.docx"
    return generated if generated.exists() else ROOT / "tests/fixtures/reports/src/defect-team.md"


def test_report_check_page(page, server):
    features = httpx.get(f"{server.url}/v1/status").json()["features"]
    page.click("nav a[data-view=check]")
    page.locator("#check-file").set_input_files(str(report_fixture()))
    page.click("#check-button")
    if not features["report_check"]:
        page.wait_for_selector("#check-result .alert.error")
        assert "尚未启用" in page.inner_text("#check-result")
        shot(page, "report-check-not-enabled")
        return
    page.wait_for_selector("#check-result .finding")
    assert page.locator("#check-result .category").count() >= 1
    assert page.locator(".finding.sev-error, .finding.sev-warning").count() >= 1
    shot(page, "report-check-findings")
    page.click("#review-button")
    if not features["report_review"]:
        page.wait_for_selector("#review-result .alert.error")
        return
    page.wait_for_selector("#download-docx")
    with page.expect_download() as download:
        page.click("#download-docx")
    assert download.value.suggested_filename.endswith(".docx")
    shot(page, "report-review")
