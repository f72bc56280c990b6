"""Student journeys in JupyterLab: answer, get feedback, survive a restart, use only the keyboard, hand in."""
from __future__ import annotations

import json
import time
from pathlib import Path

from rwanda_edu._questions import question_bank

from . import lab as jl

HOSTILE = '<script>window.__pwned=1</script><img src=x onerror="window.__pwned=1"> مرحبا 🙂 «quoted» & done'


def question(page, lesson_type: str, index: int = 0):
    return page.locator(f"{jl.NOTEBOOK} .rwanda-edu-question.rwanda-edu-{lesson_type}").nth(index)


def tab_to(page, target, limit: int = 80) -> None:
    """Move the keyboard focus onto ``target`` with Tab (or Shift+Tab when it lies behind) alone."""
    behind = "el => !!(el.compareDocumentPosition(document.activeElement) & Node.DOCUMENT_POSITION_FOLLOWING)"
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Shift+Tab" if target.evaluate(behind) else "Tab")
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def pwned(page) -> bool:
    return page.evaluate("() => window.__pwned === 1")


def test_start_here_journey(lab, page):
    base, lessons = lab
    jl.open_notebook(page, base, "00_start_here.ipynb")
    jl.run_all(page)

    # Sign in.
    sign_in = page.locator(f"{jl.NOTEBOOK} .rwanda-edu-sign-in")
    sign_in.locator("input").fill("Ada Test")
    sign_in.locator("button", has_text="Save my name").click()
    page.wait_for_function("() => document.querySelector('.rwanda-edu-sign-in').innerText.includes('Ada Test')")

    # A choice question: click an option's label, feedback appears.
    choice = question(page, "choice")
    choice.locator("label").nth(1).wait_for(state="attached")
    start = time.monotonic()
    choice.locator(".widget-radio-box label").first.click()
    page.wait_for_function(
        "el => el.innerText.trim().length > 0", arg=choice.locator(".rwanda-edu-feedback").element_handle())
    # Timed from this process: Playwright's click (its actionability checks and round trips to the browser)
    # until its polling sees the feedback. The page's own click -> feedback is timed in test_click_feedback.py.
    driver_click_to_feedback_ms = (time.monotonic() - start) * 1000
    jl.record_timing("driver_click_to_feedback_ms", driver_click_to_feedback_ms)
    assert driver_click_to_feedback_ms < 5_000

    # Free text with markup, script and right-to-left text: typed, saved, shown back escaped after a restart.
    text = question(page, "text").locator("textarea")
    text.click()
    text.press_sequentially(HOSTILE)
    time.sleep(2)  # longer than the save debounce
    jl.restart_and_run_all(page)
    restored = question(page, "text").locator("textarea")
    restored.wait_for()
    assert restored.input_value() == HOSTILE
    assert not pwned(page)

    # Matching with the keyboard only: Tab to each dropdown, arrow keys to choose.
    bank = {q["id"]: q for q in question_bank("00_start_here")["questions"]}
    pairs = bank["practice-match"]["pairs"]
    matching = question(page, "matching")
    selects = matching.locator("select")
    selects.first.focus()
    for index, pair in enumerate(pairs):
        select = selects.nth(index)
        tab_to(page, select)
        for _ in range(len(pairs) + 1):
            # ipywidgets writes the options' spaces as no-break spaces
            shown = "el => el.selectedIndex < 0 ? '' : el.options[el.selectedIndex].text.replace(/\u00a0/g, ' ')"
            if select.evaluate(shown) == pair["right"]:
                break
            page.keyboard.press("ArrowDown")
    page.wait_for_function(
        "el => el.innerText.includes('All matches are right')",
        arg=matching.locator(".rwanda-edu-feedback").element_handle(), timeout=10_000)

    # Hand in: the files appear next to the lessons and hold the text exactly.
    page.locator(f"{jl.NOTEBOOK} .rwanda-edu-hand-in button").click()
    answers = lessons / "answers"
    deadline = time.monotonic() + 15
    while not list(answers.glob("handin-*.json")) and time.monotonic() < deadline:
        time.sleep(0.2)
    (handin,) = answers.glob("handin-*.json")
    doc = json.loads(handin.read_text(encoding="utf-8"))
    assert doc["student"] == "Ada Test"
    assert doc["lessons"]["00_start_here"]["practice-wonder"]["answer"] == HOSTILE

    # "Download my hand-in" saves both files through the browser, byte for byte.
    (page_file,) = answers.glob("handin-*.html")
    for label, original in (("Download my hand-in (.json)", handin), ("Download the readable page (.html)", page_file)):
        with page.expect_download() as caught:
            page.locator(f"{jl.NOTEBOOK} .rwanda-edu-hand-in a.rwanda-edu-download", has_text=label).click()
        download = caught.value
        assert download.suggested_filename == original.name
        assert Path(download.path()).read_bytes() == original.read_bytes()

    # The readable page shows the text literally and runs no script.
    page.goto(f"{base}/files/answers/{page_file.name}")
    assert HOSTILE in page.locator("body").inner_text()
    assert not pwned(page)
    assert page.outside_requests == []


def test_ordering_with_the_keyboard_only(lab, page):
    base, _ = lab
    jl.open_notebook(page, base, "01_road_to_1994.ipynb")
    jl.run_all(page)
    ordering = question(page, "ordering")
    ordering.wait_for()
    items = next(q for q in question_bank("01_road_to_1994")["questions"] if q["type"] == "ordering")["items"]
    wanted = [item["text"] for item in items]

    def shown(expected: list[str] | None = None) -> list[str]:
        """The rows as drawn, once they show every event once (each row is its own widget and
        catches up with a move on its own), and ``expected`` when given."""
        deadline = time.monotonic() + 10
        while True:
            rows = ordering.locator(".widget-hbox .widget-html span").all_text_contents()
            texts = [row.split(". ", 1)[1] for row in rows if ". " in row][: len(wanted)]
            if sorted(texts) == sorted(wanted) and expected in (None, texts):
                return texts
            assert time.monotonic() < deadline, f"the rows show {texts}, not {expected or 'every event once'}"
            time.sleep(0.1)

    ordering.locator("button:not([disabled])").first.focus()
    for place, text in enumerate(wanted):
        while (current := shown().index(text)) != place:
            expected = shown()
            expected[current - 1], expected[current] = expected[current], expected[current - 1]
            tab_to(page, ordering.locator("button", has_text="Up").nth(current))
            page.keyboard.press("Enter")
            shown(expected)
    assert shown() == wanted
    page.wait_for_function(
        "el => el.innerText.includes('All in the right order')",
        arg=ordering.locator(".rwanda-edu-feedback").element_handle(), timeout=10_000)
