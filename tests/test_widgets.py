"""Question widgets, driven through their traits: set values, click, read feedback, status and the store."""
from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest

from rwanda_edu import _datasets, _questions, responses, widgets
from rwanda_edu._html import escape
from rwanda_edu.widgets import ask, hand_in_widget, quiz, sign_in_widget
from rwanda_edu.widgets import question as question_widget

FIXTURES = Path(__file__).parent / "fixtures" / "questions"
LESSON = "99_fixture"
DEFAULT_DEBOUNCE = question_widget.DEBOUNCE_SECONDS


@pytest.fixture(autouse=True)
def fixture_banks(monkeypatch, tmp_path):
    """Serve the fixture bank, work in a fresh folder, save quickly after typing."""
    monkeypatch.setattr(_questions, "_DIR", FIXTURES)
    monkeypatch.setattr(question_widget, "DEBOUNCE_SECONDS", 0.05)
    monkeypatch.chdir(tmp_path)
    _questions._bank.cache_clear()
    yield
    widgets.save_pending()  # no save may land in the next test's folder
    _questions._bank.cache_clear()


def saved(qid: str):
    return responses.current_store().answers(LESSON).get(qid)


def wait_saved(widget, expected, timeout: float = 10.0):
    """The store's answer once it equals ``expected`` (free text saves after a pause)."""
    qid = widget.question["id"]
    deadline = time.monotonic() + timeout
    while saved(qid) != expected and time.monotonic() < deadline:
        time.sleep(0.02)
    with widget._lock:  # the save that wrote it has also updated the status
        return saved(qid)


def status(widget) -> str:
    return widget.status.value


def walk(widget):
    yield widget
    for child in getattr(widget, "children", ()):
        yield from walk(child)


# Every type: answer, save, feedback, restore


def test_single_choice_saves_scores_and_explains():
    widget = ask(LESSON, "single")
    assert "Not answered yet" in status(widget) and widget.feedback.value == ""
    widget.choice.value = "r912"
    assert saved("single") == "r912"
    assert "✓ Answered" in status(widget)
    assert "Not quite." in widget.feedback.value and "Score: 0 of 1" in widget.feedback.value
    assert "reduced UNAMIR in April 1994" in widget.feedback.value
    widget.choice.value = "r872"
    assert saved("single") == "r872" and "Correct." in widget.feedback.value
    assert widget.score == (1.0, 1.0)


def test_multiple_choice_saves_every_change():
    widget = ask(LESSON, "multi")
    ids = {o["text"]: o["id"] for o in widget.question["options"]}
    boxes = {ids[box.description]: box for box in widget.checkboxes}  # shown in the student's order
    boxes["r912"].value = True
    assert saved("multi") == ["r912"] and "Score: 1 of 2" in widget.feedback.value
    boxes["r918"].value = True
    assert saved("multi") == ["r912", "r918"] and "Score: 2 of 2" in widget.feedback.value
    boxes["r912"].value = boxes["r918"].value = False
    assert saved("multi") == [] and "Not answered yet" in status(widget)


def test_free_text_saves_after_a_pause_and_counts_words():
    widget = ask(LESSON, "why-withdraw")
    widget.text.value = "The cable argues that"
    assert wait_saved(widget, "The cable argues that") == "The cable argues that"
    counts = [c for c in walk(widget) if "rwanda-edu-word-count" in getattr(c, "_dom_classes", ())]
    assert len(counts) == 1 and "4 words (aim for at least 5)" in counts[0].value
    assert "✓ Answered" in status(widget)


def test_debounce_waits_for_the_pause(monkeypatch):
    monkeypatch.setattr(question_widget, "DEBOUNCE_SECONDS", 0.5)
    widget = ask(LESSON, "why-withdraw")
    for text in ("A", "A b", "A b c"):
        widget.text.value = text
    assert saved("why-withdraw") is None  # not yet: still inside the pause
    assert wait_saved(widget, "A b c") == "A b c"
    assert 0 < DEFAULT_DEBOUNCE <= 1  # the real pause: at most a second of typing is ever unsaved


def test_the_answer_is_a_trait_the_store_and_others_observe():
    widget = ask(LESSON, "single")
    seen = []
    widget.observe(lambda change: seen.append(change["new"]), names="answer")
    widget.choice.value = "r912"
    assert seen == ["r912"] and widget.answer == "r912" == saved("single")


def test_typing_changes_the_answer_at_once_and_the_file_after_the_pause(monkeypatch):
    monkeypatch.setattr(question_widget, "DEBOUNCE_SECONDS", 60)
    widget = ask(LESSON, "why-withdraw")
    widget.text.value = "Somalia mattered"
    assert widget.answer == "Somalia mattered" and saved("why-withdraw") is None
    assert "Not answered yet" in status(widget)  # the status waits for the save
    widgets.save_pending()
    assert saved("why-withdraw") == "Somalia mattered" and "✓ Answered" in status(widget)


def test_sentence_starters_insert_text():
    widget = ask(LESSON, "why-withdraw")
    buttons = [b for b in walk(widget) if getattr(b, "description", None) in widget.question["starters"]]
    assert len(buttons) == len(widget.question["starters"])
    buttons[0].click()
    assert widget.text.value == "The cable argues that "
    widget.text.value += "Somalia mattered."
    buttons[1].click()
    assert widget.text.value == "The cable argues that Somalia mattered.\nOne reason is "
    assert all(b.tooltip.startswith("Add “") for b in buttons)


def test_ordering_moves_items_with_labelled_buttons():
    widget = ask(LESSON, "order")
    right = [i["id"] for i in widget.question["items"]]
    assert widget.order != right and sorted(widget.order) == sorted(right)
    assert ask(LESSON, "order").order == widget.order  # the same shuffle every time
    assert widget.up[0].disabled and widget.down[-1].disabled
    top = widget.texts[widget.order[0]]
    assert widget.down[0].tooltip == f"Move “{top}” down"
    widget.down[0].click()
    assert saved("order") == widget.order and widget.order[1] == next(k for k, v in widget.texts.items() if v == top)
    assert f"Move “{top}” up" == widget.up[1].tooltip
    assert "to place 2 of" in widget.announce.value
    # put everything in order by clicking, as a keyboard user would
    while widget.order != right:
        pos = next(i for i, (a, b) in enumerate(zip(widget.order, right, strict=True)) if a != b)
        widget.up[widget.order.index(right[pos])].click()
    assert saved("order") == right
    assert "All in the right order." in widget.feedback.value and "4 August 1993" in widget.feedback.value
    assert "November 1994" in widget.feedback.value


def test_ordering_can_be_saved_without_moving():
    widget = ask(LESSON, "order")
    assert saved("order") is None and "Not answered yet" in status(widget)
    widget.confirm.click()
    assert saved("order") == widget.order and "in the right place" in widget.feedback.value


def test_matching_saves_each_dropdown():
    widget = ask(LESSON, "match")
    assert [d.description for d in widget.dropdowns.values()] == ["Chapter VI", "Chapter VII", "ICTR"]
    assert {d.label for d in widget.dropdowns.values()} == {"Choose…"}  # shown until a match is chosen
    widget.dropdowns["ictr"].value = "ictr"
    assert saved("match") == {"ictr": "ictr"} and "Not answered yet" in status(widget)
    widget.dropdowns["chapter-vi"].value = "chapter-vii"
    widget.dropdowns["chapter-vii"].value = "chapter-vi"
    assert "✓ Answered" in status(widget) and "1 of 3 matches are right." in widget.feedback.value
    assert widget.score == pytest.approx((1 / 3, 1.0))
    widget.dropdowns["ictr"].value = ""  # back to "Choose…"
    assert saved("match") == {"chapter-vi": "chapter-vii", "chapter-vii": "chapter-vi"}


def test_source_analysis_has_a_box_per_prompt():
    widget = ask(LESSON, "source")
    assert list(widget.boxes) == ["who", "words"]
    assert widget.boxes["who"].description == "Sourcing: your answer"
    widget.boxes["who"].value = "The State Department"
    assert wait_saved(widget, {"who": "The State Department", "words": ""})
    assert "Not answered yet" in status(widget)
    widget.boxes["words"].value = "unacceptable risk"
    wait_saved(widget, {"who": "The State Department", "words": "unacceptable risk"})
    assert "✓ Answered" in status(widget) and widget.score is None


def test_claim_check_reveals_the_record_after_an_answer():
    widget = ask(LESSON, "claim")
    claim = _questions.claim("cable-resolution-909")
    assert claim["quote"] in widget.children[1].value
    assert widget.reveal_button.disabled
    widget.pick.value = claim["verdict"]
    assert saved("claim") == {"verdict": claim["verdict"], "reasoning": ""}
    assert widget.reveal_button.disabled  # reasons first
    widget.reasons.value = "The resolution is dated 5 April."
    wait_saved(widget, {"verdict": claim["verdict"], "reasoning": "The resolution is dated 5 April."})
    assert not widget.reveal_button.disabled and widget.feedback.value == ""
    widget.reveal_button.click()
    assert "Your verdict matches the record." in widget.feedback.value
    assert _datasets.cite(claim["source_ids"][0]).split(".")[0] in widget.feedback.value
    assert widget.pick.disabled and widget.score == (1.0, 1.0)


def test_decision_shows_what_was_decided():
    widget = ask(LESSON, "decide")
    assert "UN Security Council, 21 April 1994." in widget.children[1].value
    widget.pick.value = "withdraw"
    widget.reasons.value = "Protect the soldiers."
    wait_saved(widget, {"choice": "withdraw", "justification": "Protect the soldiers."})
    citation = _datasets.cite("unsc-res-912")
    assert escape(citation) not in widget.feedback.value  # the sources could give the decision away
    widget.reveal_button.click()
    assert "Reduce UNAMIR to a small group" in widget.feedback.value
    assert "about 270 personnel" in widget.feedback.value and escape(citation) in widget.feedback.value
    assert widget.score is None
    again = ask(LESSON, "decide")  # a re-run, or a restarted kernel: what was decided is still shown
    assert again.revealed and "Reduce UNAMIR to a small group" in again.feedback.value


ANSWERS = {
    "single": "r955",
    "multi": ["r872", "r918"],
    "why-withdraw": "Risk to troops.",
    "order": ["res-955", "res-912", "res-872", "arusha"],
    "match": {"ictr": "chapter-vi"},
    "source": {"who": "Washington", "words": ""},
    "claim": {"verdict": "differs", "reasoning": "x"},
    "decide": {"choice": "reinforce", "justification": "y"},
}


@pytest.mark.parametrize("qid", ANSWERS)
def test_a_new_widget_restores_the_saved_answer(qid):
    responses.current_store().record(LESSON, qid, ANSWERS[qid])
    widget = ask(LESSON, qid)  # a re-run cell or a restarted kernel
    assert widget.answer == ANSWERS[qid]
    assert saved(qid) == ANSWERS[qid]  # restoring writes nothing back
    answered = _questions.is_answered(widget.question, ANSWERS[qid])
    assert ("✓ Answered" in status(widget)) == answered


def test_restored_controls_show_the_answer():
    store = responses.current_store()
    store.record(LESSON, "order", ANSWERS["order"])
    store.record(LESSON, "multi", ANSWERS["multi"])
    order = ask(LESSON, "order")
    assert order.rows[0].value.startswith("<span>1. Resolution 955")
    multi = ask(LESSON, "multi")
    assert [b.value for b in multi.checkboxes] == [True, False, True]


def test_a_saved_answer_that_no_longer_fits_is_kept_not_shown():
    responses.current_store().record(LESSON, "single", "r999")
    widget = ask(LESSON, "single")
    assert widget.choice.value is None and "no longer fits" in status(widget)
    assert saved("single") == "r999"


# Teacher setting, notices, errors, escaping


@pytest.mark.parametrize("how", ["env", "file"])
def test_hidden_correctness_saves_but_shows_no_feedback(how, monkeypatch, tmp_path):
    if how == "env":
        monkeypatch.setenv("RWANDA_EDU_HIDE_CORRECTNESS", "1")
    else:
        (tmp_path / "assignment.json").write_text(json.dumps({"hide_correctness": True}), encoding="utf-8")
    assert widgets.hide_correctness()
    widget = ask(LESSON, "single")
    widget.choice.value = "r912"
    assert saved("single") == "r912" and "✓ Answered" in status(widget)
    assert widget.feedback.value == ""
    claim = ask(LESSON, "claim")
    claim.pick.value, claim.reasons.value = "differs", "x"
    claim.reveal_button.click()
    assert _questions.claim("cable-resolution-909")["what_the_record_says"] not in claim.feedback.value
    assert "Your teacher will go over" in claim.feedback.value
    assert "points" not in quiz(LESSON).total.value


@pytest.mark.parametrize(
    ("setting", "hidden"),
    [({"hide_correctness": False}, False), ({"lesson": "03"}, False), ("not json", True), ({"hide_correctness": True}, True)],
)
def test_assignment_file_setting(tmp_path, setting, hidden):
    text = setting if isinstance(setting, str) else json.dumps(setting)
    (tmp_path / "assignment.json").write_text(text, encoding="utf-8")
    assert widgets.hide_correctness() is hidden


def test_env_zero_shows_correctness_even_with_a_file(monkeypatch, tmp_path):
    (tmp_path / "assignment.json").write_text(json.dumps({"hide_correctness": True}), encoding="utf-8")
    monkeypatch.setenv("RWANDA_EDU_HIDE_CORRECTNESS", "0")
    assert not widgets.hide_correctness()


def test_store_notice_is_shown(answers_dir):
    answers_dir.mkdir(parents=True)
    (answers_dir / responses.UNNAMED).write_text("{not json", encoding="utf-8")
    widget = ask(LESSON, "single")
    assert "could not be read" in widget.notice.value and 'role="alert"' in widget.notice.value


def test_a_failed_save_is_said_in_plain_words(monkeypatch):
    widget = ask(LESSON, "single")

    def broken(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(responses, "_write_atomic", broken)
    widget.choice.value = "r912"
    responses.current_store().flush()
    assert "could not be saved: No space left on device" in status(widget)


def test_the_answer_shows_at_once_and_saved_only_once_on_disk(monkeypatch):
    widget = ask(LESSON, "single")
    on_disk = threading.Event()
    real_write = responses._write_atomic

    def slow_write(path, data):
        on_disk.wait(10)
        real_write(path, data)

    monkeypatch.setattr(responses, "_write_atomic", slow_write)
    widget.choice.value = "r912"
    assert "Not quite" in widget.feedback.value and "✓ Answered · saving…" in status(widget)  # before the write
    on_disk.set()
    responses.current_store().flush()
    assert "✓ Answered · saved" in status(widget) and saved("single") == "r912"


def test_student_text_is_stored_exactly_and_shown_escaped(answers_dir):
    text = "<script>alert('x')</script> ✊🏾 שלום " + "y" * 100_000
    responses.sign_in("<img src=x onerror=alert(1)> Ada")
    widget = ask(LESSON, "source")
    widget.boxes["who"].value = text
    assert wait_saved(widget, {"who": text, "words": ""})["who"] == text
    assert ask(LESSON, "source").boxes["who"].value == text
    box = hand_in_widget()
    box.children[0].click()
    (page,) = answers_dir.glob("handin-*.html")  # the page the widget wrote and links to
    assert page.name in box.children[1].value
    html = page.read_text(encoding="utf-8")
    assert "<script" not in html and "<img" not in html
    assert escape(text) in html and "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt; ✊🏾 שלום yyy" in html
    assert "Answers of &lt;img src=x onerror=alert(1)&gt; Ada" in html


def test_every_control_has_a_label():
    for qid in ANSWERS:
        for control in walk(ask(LESSON, qid)):
            if type(control).__name__ in ("Textarea", "Dropdown", "RadioButtons", "Checkbox", "Text"):
                assert control.description.strip(), (qid, control)
            if type(control).__name__ == "Button":
                assert control.description.strip() and control.tooltip, (qid, control)


def test_top_level_boxes_carry_the_css_classes():
    widget = ask(LESSON, "match")
    assert "rwanda-edu-question" in widget._dom_classes
    assert "rwanda-edu-status" in widget.status._dom_classes
    assert "rwanda-edu-feedback" in widget.feedback._dom_classes


def test_unknown_ids_name_the_valid_ones():
    with pytest.raises(ValueError, match="did you mean 'single'"):
        ask(LESSON, "singel")
    with pytest.raises(ValueError, match="unknown lesson"):
        quiz("99_fixtur")


# Quiz


def test_quiz_keeps_a_running_score():
    widget = quiz(LESSON)
    ids = [q.question["id"] for q in widget.questions]
    assert ids == [q["id"] for q in _questions.question_bank(LESSON)["questions"] if q.get("quiz")]
    possible = sum(q.question["points"] for q in widget.questions)
    assert f"Quiz score: 0 of {possible:g} points · 0 of {len(ids)} questions answered" in widget.total.value
    widget.questions[ids.index("single")].choice.value = "r872"
    assert f"Quiz score: 1 of {possible:g} points · 1 of {len(ids)}" in widget.total.value
    assert widget.score == (1.0, float(possible))
    assert "rwanda-edu-quiz" in widget._dom_classes


def test_quiz_score_survives_a_restart():
    first = quiz(LESSON)
    first.questions[0].choice.value = "r872"
    again = quiz(LESSON)
    assert again.score == first.score and "1 of" in again.total.value


# Sign-in and hand-in


def test_sign_in_checks_the_name_in_plain_words():
    box = sign_in_widget()
    name, button = box.children[0].children
    message = box.children[1]
    name.value = "   "
    button.click()
    assert "Please type your name" in message.value and responses.current_student() is None
    name.value = "a/b"
    button.click()
    assert "cannot contain '/'" in message.value.replace("&#x27;", "'") and responses.current_student() is None
    name.value = "<b>Ada & co"
    button.click()
    assert responses.current_student() == "<b>Ada & co"
    assert "“&lt;b&gt;Ada &amp; co”" in message.value and "<b>" not in message.value
    assert sign_in_widget().children[0].children[0].value == "<b>Ada & co"


def test_answers_before_sign_in_go_to_the_student():
    widget = ask(LESSON, "single")
    widget.choice.value = "r872"
    responses.sign_in("Ada N.")
    widget.choice.value = "r912"  # the same widget now saves to Ada's store
    assert responses.current_store().answers(LESSON)["single"] == "r912"


def test_hand_in_saves_pending_typing_first(monkeypatch, answers_dir):
    monkeypatch.setattr(question_widget, "DEBOUNCE_SECONDS", 60)
    responses.sign_in("Ada N.")
    widget = ask(LESSON, "why-withdraw")
    widget.text.value = "typed just now"
    hand_in_widget().children[0].click()
    handin = json.loads(next(answers_dir.glob("handin-*.json")).read_text(encoding="utf-8"))
    assert handin["lessons"][LESSON]["why-withdraw"]["answer"] == "typed just now"


def test_hand_in_writes_two_files_and_explains_downloading(answers_dir):
    box = hand_in_widget()
    button, message, teacher_feedback = box.children
    assert teacher_feedback.value == ""  # no exchange, so no feedback to show
    button.click()
    assert "sign in" in message.value.lower()
    responses.sign_in("Ada N.")
    ask(LESSON, "single").choice.value = "r872"
    button.click()
    files = sorted(answers_dir.glob("handin-*"))
    assert len(files) == 2 and all(p.name in message.value for p in files)
    assert "Binder" in message.value and "right-click" not in message.value
    # each file travels in its download link, byte for byte, under its own name
    import base64
    import re

    links = dict(re.findall(r'download="([^"]+)" href="data:[a-z/]+;base64,([A-Za-z0-9+/=]+)"', message.value))
    assert {name: base64.b64decode(data) for name, data in links.items()} == {p.name: p.read_bytes() for p in files}


# The real banks

REAL_BANKS = _questions._DIR


@pytest.mark.parametrize("lesson", _questions.list_banks())
def test_every_real_question_renders(lesson, monkeypatch):
    monkeypatch.setattr(_questions, "_DIR", REAL_BANKS)
    _questions._bank.cache_clear()
    questions = _questions.question_bank(lesson)["questions"]
    for question in questions:
        widget = ask(lesson, question["id"])
        assert escape(question["prompt"]) in widget.children[1].value and "Not answered yet" in status(widget)
    if any(q.get("quiz") for q in questions):
        assert "0 of" in quiz(lesson).total.value
