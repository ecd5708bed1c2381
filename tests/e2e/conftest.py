import os
import re
import shutil
import sys

import pytest
from django.core.management import call_command

CHROMIUM = "/usr/bin/chromium"


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test thread
    # itself only touches the database before and after driving the browser.
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

    if not shutil.which(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (make test does it when run as root)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser, transactional_db):  # set up after the database, so closed before its flush
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    from playwright.sync_api import expect

    expect.set_options(timeout=15_000)  # the machine is shared (2 cores): assertions wait as long as actions
    yield page
    # Pages ask /shop/visitor/ in the background: let those requests finish before the test's database is
    # emptied (the flush would otherwise meet a request's locks: a deadlock), then close the browser's tab.
    try:
        page.wait_for_load_state("networkidle", timeout=5_000)
    except Exception:  # a page that keeps polling: close it anyway
        pass
    context.close()


@pytest.fixture
def live_demo_shop(transactional_db, live_server, settings):
    settings.SHOP_BASE_URL = live_server.url
    call_command("load_demo_shop", products=30, verbosity=0)
    return live_server


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    # Keep each phase's report on the test item, so a fixture can tell a failed test at teardown.
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def screenshot_on_failure(request, page):
    """Save a full-page screenshot under test-results/e2e/ when the test fails."""
    yield page
    report = getattr(request.node, "rep_call", None)
    if report is not None and report.failed:
        folder = request.config.rootpath / "test-results" / "e2e"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / (re.sub(r"[^\w.-]+", "_", request.node.name) + ".png")
        try:
            page.screenshot(path=str(path), full_page=True)
            sys.stderr.write(f"screenshot of the failing page ({page.url}): {path}\n")
        except Exception as exc:  # a screenshot must never hide the test's own failure
            sys.stderr.write(f"no screenshot: {exc!r}\n")
