"""The kommunpolis's journey (issue 14), in headless Chromium on a copy of the demo store with an
agreement and a week of partners' observations: open the kommun's weekly view, add a place for next
week, open the tertial follow-up, export the § 4 document — each at most three clicks from landing.
Screenshots and the rendered § 4 PDF are kept in tests/artifacts."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess

import pytest

from testing.harness import copy_sqlite
from tests.browser.conftest import ARTIFACTS, CHROMIUM_ARGS, running_app
from tests.est import files

TIMEOUT = 60_000


@pytest.fixture(scope="module")
def est_server(demo_db_path, data_dir, tmp_path_factory):
    from store.engine import make_engine, migrate
    from store.ledger import import_ledger
    from store.notes import add_note
    from store.observations import import_observations

    tmp = tmp_path_factory.mktemp("est_browser")
    path = copy_sqlite(demo_db_path, tmp / "est.sqlite")
    engine = make_engine(f"sqlite:///{path}")
    migrate(engine)
    on = dt.date.fromisoformat(files.TODAY)
    import_observations(engine, files.observations(tmp), user="kp", on=on)
    import_ledger(engine, files.ledger(tmp), user="kp", on=on)
    add_note(engine, "74", "2026-T2", "problem", "HEMLIG intern anteckning", "kp", internal=True)
    engine.dispose()
    with running_app(path, data_dir, "est_server") as url:
        yield url


@pytest.fixture
def est_page(browser, est_server):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE", bypass_csp=True,
                                  accept_downloads=True)
    pg = context.new_page()
    pg.console_errors = []
    pg.on("pageerror", lambda e: pg.console_errors.append(str(e)))
    yield pg
    context.close()


class Clicks:
    """Counts the clicks of one step from the landing page."""

    def __init__(self, page, url: str) -> None:
        self.page, self.n = page, 0
        page.goto(url)
        page.wait_for_selector("#est-link", timeout=TIMEOUT)

    def click(self, target) -> None:
        self.n += 1
        if isinstance(target, str):
            self.page.click(target, timeout=TIMEOUT)
        else:
            target.click(timeout=TIMEOUT)


def test_kommunpolis_journey(est_page, est_server):
    page = est_page
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    assert CHROMIUM_ARGS  # the shared launch flags (conftest)

    # 1. the weekly view of the kommun: the link, then week 14 from the week list
    step = Clicks(page, est_server)
    step.click("#est-link")
    page.wait_for_selector("#est-flag-table, #est-flags .est-none", timeout=TIMEOUT)
    step.click("#est-week")
    page.keyboard.type("vecka 14 2026")
    step.click(page.get_by_role("option", name=re.compile("vecka 14 2026")))
    page.wait_for_function("document.querySelectorAll('#est-obs-list tbody tr').length === 6", timeout=TIMEOUT)
    assert step.n <= 3
    page.wait_for_selector("path.est-obs", timeout=TIMEOUT)
    assert page.locator("path.est-obs").count() == 3  # only the observations with a point are drawn
    assert "Rinkeby" in page.inner_text("#est-obs-list")
    page.locator("#samverkan").screenshot(path=str(ARTIFACTS / "est_weekly_view.png"))
    from tests.browser.test_accessibility import axe, report

    violations = axe(page)  # WCAG 2.1 AA on the page with the weekly view filled
    assert not violations, report(violations)

    # 2. a place for next week (typing is not a click)
    step = Clicks(page, est_server)
    step.click("#est-link")
    page.fill("#est-place-name", "Rinkeby torg")
    page.fill("#est-place-owner", "Kommunpolis Andersson")
    page.fill("#est-place-reason", "Narkotikahandel observerad")
    step.click("#est-place-add")
    page.wait_for_selector(".est-places-list li", timeout=TIMEOUT)
    assert step.n <= 3 and "Kommunpolis Andersson" in page.inner_text("#est-places")

    # 3. the tertial follow-up
    step = Clicks(page, est_server)
    step.click("#est-link")
    step.click("#est-tabs >> text=Tertialuppföljning")
    page.wait_for_selector("#est-followup table", timeout=TIMEOUT)
    text = page.inner_text("#est-followup")
    assert step.n <= 3 and "Planerade" in text and "ej mätbart" in text and "Narkotikabrott" in text
    page.locator("#samverkan").screenshot(path=str(ARTIFACTS / "est_followup.png"))
    violations = axe(page)
    assert not violations, report(violations)

    # 4. the § 4 document (kommun tier)
    step = Clicks(page, est_server)
    step.click("#est-link")
    step.click("#est-tabs >> text=Lägesbild § 4")
    with page.expect_download(timeout=TIMEOUT) as dl:
        step.click("#est-l4-pdf")
    assert step.n <= 3
    pdf = ARTIFACTS / "est_lagesbild4.pdf"
    dl.value.save_as(str(pdf))
    from pypdf import PdfReader

    text = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(pdf.read_bytes())).pages)
    assert "Kartläggning av brottsligheten" in text and "<5" in text
    assert "Klottersanering" not in text and "HEMLIG" not in text
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(pdf), str(ARTIFACTS / "est_lagesbild4")],
                   check=False)
    assert not page.console_errors
