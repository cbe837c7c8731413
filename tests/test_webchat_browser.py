"""The web chat in headless Chromium (Debian's package, driven by Playwright):
axe-core on every page of the flow in English and Urdu, keyboard only,
without JavaScript, and reflow at 200% and 400% zoom."""

from __future__ import annotations

from pathlib import Path

import pytest

from feedback.app import create_app
from flows.catalogue import load_catalogue
from tests.support.webchat import live_server, urdu_services

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "support" / "axe" / "axe.min.js"
CATALOGUE = load_catalogue()
ANSWERS = ["Easy to book and the receptionist was kind",
           "They listened to me and explained my results", "No",
           "Very good, I would recommend it to a friend", "Yes"]


@pytest.fixture
def server(app):
    with live_server(app) as url:
        yield url


@pytest.fixture
def urdu_server(settings, clock, tmp_path):
    services = urdu_services(settings, clock, tmp_path)
    application = create_app(services=services)
    with live_server(application) as url:
        yield url
    services.db.dispose()


def new_page(browser, **options):
    context = browser.new_context(**options)
    page = context.new_page()
    return context, page


def transcript_length(page) -> int:
    return page.locator("#log-items > li").count()


def reply(page, text: str) -> None:
    """Type into the reply box and press Enter; wait for the answer to arrive."""
    before = transcript_length(page)
    page.fill("#reply", text)
    page.press("#reply", "Enter")
    page.wait_for_function("n => document.querySelectorAll('#log-items > li').length > n",
                           arg=before)


def choose(page, value: str) -> None:
    before = transcript_length(page)
    page.click(f"button[name=reply][value='{value}']")
    page.wait_for_function("n => document.querySelectorAll('#log-items > li').length > n",
                           arg=before)


def finished(page) -> bool:
    """The hint under the reply box says the conversation is over, in the page's language."""
    lang = page.evaluate("document.documentElement.lang")
    return page.locator("#reply-hint").inner_text() == CATALOGUE.text("webchat.finished", lang)


def serious_violations(page) -> list[str]:
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
    assert len(result["passes"]) > 10, "axe did not check the page"
    return [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']]}"
            for v in result["violations"] if v["impact"] in ("serious", "critical")]


def walk_the_flow_checking_each_page(page, url: str) -> list[str]:
    """Welcome and first question, a question with buttons, the closing page."""
    page.goto(url)
    checked = [("first question", serious_violations(page))]
    for answer in ANSWERS:
        reply(page, answer)
    assert page.locator("button[name=reply]").count() >= 2
    checked.append(("question with options", serious_violations(page)))
    choose(page, str(page.locator("button[name=reply]").count()))
    for _ in range(15):
        if finished(page):
            break
        reply(page, "SKIP")
    assert finished(page)
    checked.append(("closing", serious_violations(page)))
    return [f"{name}: {v}" for name, found in checked for v in found]


def test_axe_finds_nothing_serious_on_any_page_in_english(browser, server):
    context, page = new_page(browser, bypass_csp=True)   # axe is injected inline
    problems = walk_the_flow_checking_each_page(page, f"{server}/chat/demo")
    assert page.evaluate("document.documentElement.lang") == "en"
    page.click("form.easy button")
    page.wait_for_load_state()
    problems += [f"easy read: {v}" for v in serious_violations(page)]
    context.close()
    assert problems == []


def test_axe_finds_nothing_serious_on_any_page_in_urdu_right_to_left(browser, urdu_server):
    context, page = new_page(browser, bypass_csp=True)
    page.goto(f"{urdu_server}/chat/demo?lang=ur")
    assert page.evaluate("[document.documentElement.lang, document.documentElement.dir]") == [
        "ur", "rtl"]
    problems = walk_the_flow_checking_each_page(page, f"{urdu_server}/chat/demo")
    assert page.evaluate("document.documentElement.dir") == "rtl"
    context.close()
    assert problems == []


def test_the_whole_flow_with_the_keyboard_alone(browser, server):
    context, page = new_page(browser)                       # CSP enforced: our script only
    errors, requests = [], []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(f"{server}/chat/demo")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    for _ in range(40):
        if page.evaluate("document.activeElement.id") == "reply":
            break
        page.keyboard.press("Tab")
        assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    for answer in ANSWERS:
        before = transcript_length(page)
        page.keyboard.type(answer)
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelectorAll('#log-items > li').length > n",
                               arg=before)
        assert page.evaluate("document.activeElement.id") == "reply", "focus left the box"
    page.keyboard.press("Shift+Tab")                        # the last answer button
    assert page.evaluate("document.activeElement.getAttribute('name')") == "reply"
    before = transcript_length(page)
    page.keyboard.press("Space")
    page.wait_for_function("n => document.querySelectorAll('#log-items > li').length > n",
                           arg=before)
    assert page.evaluate("document.activeElement.id") == "reply"
    for _ in range(15):
        if finished(page):
            break
        before = transcript_length(page)
        page.keyboard.type("SKIP")
        page.keyboard.press("Enter")
        page.wait_for_function("n => document.querySelectorAll('#log-items > li').length > n",
                               arg=before)
    log_text = page.locator("#log-items").inner_text()
    assert finished(page) and "Your reference is EDS-" in log_text
    assert page.get_attribute("#log", "aria-live") == "polite"
    context.close()
    assert errors == []
    assert all(url.startswith(server) for url in requests), requests


def test_without_javascript_every_turn_is_a_form_post(browser, server):
    context, page = new_page(browser, java_script_enabled=False)
    page.goto(f"{server}/chat/demo")
    page.fill("#reply", ANSWERS[0])
    with page.expect_navigation():
        page.click("button.send")
    assert page.url == f"{server}/chat/demo"
    log_text = page.locator("#log-items").inner_text()
    assert ANSWERS[0] in log_text and CATALOGUE.text("question.1b", "en") in log_text
    for answer in ANSWERS[1:]:
        page.fill("#reply", answer)
        with page.expect_navigation():
            page.press("#reply", "Enter")
    with page.expect_navigation():
        page.click("button[name=reply][value='1']")
    assert CATALOGUE.text("monitoring.gender", "en") in page.locator("#log-items").inner_text()
    context.close()


@pytest.mark.parametrize("width", [640, 320], ids=["200%-zoom", "400%-zoom"])
def test_the_page_reflows_without_horizontal_scrolling(browser, urdu_server, width):
    for lang in ("en", "ur"):
        context, page = new_page(browser, viewport={"width": width, "height": 800},
                                 device_scale_factor=2)
        page.goto(f"{urdu_server}/chat/demo?lang={lang}")
        reply(page, "Pneumonoultramicroscopicsilicovolcanoconiosis" * 3)
        reply(page, "Yes")
        overflow = page.evaluate("[document.documentElement.scrollWidth, "
                                 "document.documentElement.clientWidth]")
        context.close()
        assert overflow[0] <= overflow[1], (lang, overflow)
