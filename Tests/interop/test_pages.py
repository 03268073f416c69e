"""The server-rendered pages in a real headless Chromium: search, the waterfall, span details, and
span data that tries to be HTML staying text."""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from accounts_helpers import fresh_chromium
from sdk_trace import XSS_IMG, XSS_SCRIPT


@pytest.fixture(scope="module")
def browser(artifacts):
    """A headless Chromium for the module (conftest signs it in as the admin once)."""
    with fresh_chromium() as driver:
        yield driver


def page_text(driver) -> str:
    """All text in the document, including collapsed parts."""
    return driver.execute_script("return document.body.textContent") or ""


def visible_text(driver) -> str:
    return driver.execute_script("return document.body.innerText") or ""


def assert_no_script_ran(driver):
    assert driver.execute_script("return typeof window.__xss") == "undefined", "span data ran as script"
    assert not driver.find_elements("css selector", 'img[src="x"]'), "span data became an <img>"


def test_search_lists_the_trace_with_its_root_operation_and_a_scatter_plot(skein, browser, artifacts, protobuf_trace):
    browser.get(f"{skein.ui}/search?service={protobuf_trace.frontend_service}")
    browser.save_screenshot(str(artifacts / "search.png"))

    links = browser.find_elements("css selector", f'a[href*="/trace/{protobuf_trace.trace_id}"]')
    assert links, "the search results link to the trace"
    rows = [a for a in browser.find_elements("css selector", "a.trace-link")
            if protobuf_trace.trace_id in (a.get_attribute("href") or "")]
    assert rows, "a result row for the trace"
    assert rows[0].find_element("css selector", ".op").text == "GET /checkout", "the root operation"
    assert rows[0].find_element("css selector", ".svc").text == protobuf_trace.frontend_service
    dots = browser.find_elements("css selector", f'figure.chart svg a[href*="/trace/{protobuf_trace.trace_id}"]')
    assert dots, "the scatter plot has a dot linking to the trace"
    assert_no_script_ran(browser)


def test_a_search_result_opens_the_waterfall_with_every_span_in_tree_order(skein, browser, artifacts, protobuf_trace):
    browser.get(f"{skein.ui}/search?service={protobuf_trace.frontend_service}")
    links = [a for a in browser.find_elements("css selector", "a.trace-link")
             if protobuf_trace.trace_id in (a.get_attribute("href") or "")]
    assert links, "a result row links to the trace"
    links[0].click()
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(browser, 15).until(lambda d: urlparse(d.current_url).path == f"/trace/{protobuf_trace.trace_id}")
    browser.save_screenshot(str(artifacts / "trace.png"))

    rows = browser.find_elements("css selector", ".waterfall .row .op")
    assert [r.text for r in rows] == protobuf_trace.tree_order(), "every span, in tree order"
    spans_fact = browser.find_element(
        "xpath", "//dl[contains(@class,'facts')]//dt[normalize-space()='Spans']/following-sibling::dd[1]")
    assert spans_fact.text.strip() == str(len(protobuf_trace.spans)), "the header's span count"
    text = visible_text(browser)
    assert protobuf_trace.backend_service in text
    assert_no_script_ran(browser)


def test_span_details_show_attributes_and_events_and_keep_html_as_text(skein, browser, artifacts, protobuf_trace):
    span_id = protobuf_trace.span_id("auth.check")
    browser.get(f"{skein.ui}/trace/{protobuf_trace.trace_id}?span={span_id}")
    browser.save_screenshot(str(artifacts / "trace-span.png"))

    text = page_text(browser)
    assert "user-42@example.test" in text, "an attribute value"
    assert "cache.miss" in text, "an event name"
    assert "user:42" in text, "an event attribute value"
    assert XSS_SCRIPT in text, "markup in an attribute is shown as text"
    assert XSS_IMG in text, "markup in an attribute is shown as text"
    assert_no_script_ran(browser)


def test_the_landing_page_leads_to_search(skein, browser, protobuf_trace):
    browser.get(f"{skein.ui}/")

    assert browser.find_elements("css selector", 'a[href^="/search"]'), "a link to search"
    assert protobuf_trace.frontend_service in page_text(browser), "services seen recently"


def test_a_span_whose_parent_never_arrived_is_shown_and_flagged(skein, http, browser, artifacts):
    import raw_otlp

    request, trace_id = raw_otlp.every_value_request(f"interop-{skein.run_id}-orphan-page")
    answer = raw_otlp.post(http, skein.otlp_traces_url, request.SerializeToString(), raw_otlp.PROTOBUF)
    assert answer.status_code == 200
    spans = [s for rs in request.resource_spans for ss in rs.scope_spans for s in ss.spans]
    orphan = next(s for s in spans if s.name == "orphan")
    root = next(s for s in spans if s.name == "raw root ✓")

    browser.get(f"{skein.ui}/trace/{trace_id.hex()}?span={root.span_id.hex()}")
    browser.save_screenshot(str(artifacts / "trace-orphan.png"))

    names = [r.text for r in browser.find_elements("css selector", ".waterfall .row .op")]
    assert sorted(names) == sorted(s.name for s in spans), "every span is shown, the orphan too"
    flags = [f.text for f in browser.find_elements("css selector", ".waterfall .orphan")]
    assert any(orphan.parent_span_id.hex() in f for f in flags), f"the orphan is flagged: {flags}"
    text = page_text(browser)
    assert "raw failure <b>bold</b>" in text, "the status message is text, not markup"
    assert "日本語 🚀" in text
    assert_no_script_ran(browser)
