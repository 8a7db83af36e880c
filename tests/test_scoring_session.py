"""The session rules (join codes, identity, open and closed rounds, the facilitator secret, anonymity) and the
session pages in AppTest: facilitator, participant and the shared screen before and after the reveal."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.scoring import runtime
from app.scoring.identity import JOIN_CODE_ALPHABET
from app.scoring.limits import Limits
from app.scoring.session import FacilitatorDisabled, NotAuthorised, ScoringError, ScoringService
from app.scoring.summary import summarise
from tests.helpers import follow_claim, joined, set_cookies
from warehouse.votes import SqliteVoteStore

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
SECRET = "koersteam-geheim"
THEMES = ["digitalisering", "flexibele_leerroutes", "student_naar_lerende", "leren_met_maatschappij"]
THEME = "flexibele_leerroutes"
HOSTILE = ("<img src=x onerror=alert(1)>", "[x](javascript:alert(1))")


@pytest.fixture
def votes_path(tmp_path: Path) -> Path:
    return tmp_path / "votes.sqlite"


@pytest.fixture
def service(votes_path: Path) -> ScoringService:
    return ScoringService(SqliteVoteStore(votes_path), SECRET)


@pytest.fixture
def app_env(warehouse_path, votes_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("TM_VOTES_PATH", str(votes_path))
    monkeypatch.setenv("TM_FACILITATOR_SECRET", SECRET)
    monkeypatch.delenv("TM_VOTES_URL", raising=False)


@pytest.fixture
def cookie_jar(monkeypatch) -> dict[str, str]:
    """The cookies 'the browser' sends with each page load in AppTest (which cannot send any itself): the page
    reads them through runtime.request_cookies, as from st.context.cookies."""
    jar: dict[str, str] = {}
    monkeypatch.setattr(runtime, "request_cookies", lambda: dict(jar))
    return jar


def join_in_page(at: AppTest, name: str) -> str:
    """Fill in the join form and submit it; returns the claim link the page sends the browser to."""
    next(t for t in at.text_input if t.label == "Uw naam of pseudoniem").input(name)
    next(b for b in at.button if b.label == "Meedoen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (link,) = [b for b in at.link_button if b.label == "Verder naar de stemronde"]
    return link.proto.url


def browser_follows(claim_url: str, jar: dict[str, str]) -> str:
    """What the browser does with the claim link: the route sets the cookie and redirects to the session page."""
    response = follow_claim(claim_url)
    jar.update({name: cookie["value"] for name, cookie in set_cookies(response).items()})
    return response.headers["location"]


def open_session(service: ScoringService, themes=(THEME,)):
    return service.open_session(SECRET, "Begeleider", 2026, list(themes), THEMES)


# --- The rules -----------------------------------------------------------------------------------------------


def test_join_codes_are_short_and_unambiguous(service):
    codes = {open_session(service).join_code for _ in range(30)}
    assert len(codes) == 30
    for code in codes:
        assert len(code) == 6 and set(code) <= set(JOIN_CODE_ALPHABET)
        assert not set(code) & set("0O1I")
    code = next(iter(codes))
    assert service.find_session(f" {code[:3].lower()}-{code[3:]} ").join_code == code  # typed sloppily: found


def test_facilitator_actions_need_the_right_secret(votes_path):
    # Room for all twelve wrong attempts here; the throttle on guessing is test_scoring_safety's.
    service = ScoringService(SqliteVoteStore(votes_path), SECRET, limits=Limits(secret_failures_per_client=50))
    session = open_session(service)
    before = service.store.event_count()
    for given in (None, "", "fout", SECRET + " "):
        with pytest.raises(NotAuthorised, match="klopt niet"):
            service.open_session(given, "X", 2026, [THEME], THEMES)
        with pytest.raises(NotAuthorised):
            service.change_round(given, session.session_id, THEME, "reveal")
        with pytest.raises(NotAuthorised):
            service.record_agreed(given, session.session_id, THEME, "opbouw", 3, "")
    assert service.store.event_count() == before
    assert not service.snapshot(session.session_id).rounds[THEME].revealed


def test_without_a_configured_secret_facilitator_controls_are_off(votes_path):
    service = ScoringService(SqliteVoteStore(votes_path), None)
    assert not service.facilitator_enabled
    with pytest.raises(FacilitatorDisabled, match="TM_FACILITATOR_SECRET"):
        service.open_session("iets", "X", 2026, [THEME], THEMES)


def test_a_participant_changes_only_their_own_votes(service):
    session = open_session(service)
    anna, anna_token = joined(service, session.join_code, "Anna")
    bram, bram_token = joined(service, session.join_code, "Bram")
    assert anna.participant_id != bram.participant_id and anna_token != bram_token
    service.vote(session.join_code, anna_token, THEME, "opbouw", 4, "")
    service.vote(session.join_code, bram_token, THEME, "opbouw", 2, "")
    service.vote(session.join_code, bram_token, THEME, "opbouw", 1, "")
    with pytest.raises(ScoringError, match="doet nog niet mee"):
        service.vote(session.join_code, "een-geraden-token", THEME, "opbouw", 5, "")
    snapshot = service.snapshot(session.session_id)
    assert service.own_votes(snapshot, anna)[(THEME, "opbouw")].score == 4
    assert service.own_votes(snapshot, bram)[(THEME, "opbouw")].score == 1
    assert len(snapshot.votes) == 2


def test_a_reload_with_the_same_token_is_the_same_participant(service):
    session = open_session(service)
    first, token = joined(service, session.join_code, "Anna")
    assert service.identify(session.join_code, token)[1] == first
    assert service.identify(session.join_code, token)[1] == first
    assert service.snapshot(session.session_id).participant_count == 1


def test_a_closed_round_refuses_late_votes_in_dutch(service):
    session = open_session(service)
    _, token = joined(service, session.join_code, "Anna")
    service.vote(session.join_code, token, THEME, "afbouw", 2, "")
    assert service.change_round(SECRET, session.session_id, THEME, "close")
    with pytest.raises(ScoringError, match="De stemronde voor dit thema is gesloten"):
        service.vote(session.join_code, token, THEME, "afbouw", 3, "")
    assert service.snapshot(session.session_id).votes[0].score == 2


def test_bad_input_gets_a_dutch_sentence(service):
    session = open_session(service)
    _, token = joined(service, session.join_code, "Anna")
    cases = [
        (lambda: service.join("", "Anna"), "sessiecode"),
        (lambda: service.join("ZZZZZZ", "Anna"), "geen sessie met de code"),
        (lambda: service.join(session.join_code, "   "), "naam of pseudoniem"),
        (lambda: service.join(session.join_code, "x" * 41), "te lang"),
        (lambda: service.vote(session.join_code, token, THEME, "opbouw", 6, ""), "1 tot en met 5"),
        (lambda: service.vote(session.join_code, token, THEME, "opbouw", None, ""), "1 tot en met 5"),
        (lambda: service.vote(session.join_code, token, THEME, "onbekend", 3, ""), "Die dynamiek bestaat niet"),
        (lambda: service.vote(session.join_code, token, "digitalisering", "opbouw", 3, ""), "hoort niet bij"),
        (lambda: service.vote(session.join_code, token, THEME, "opbouw", 3, "x" * 281), "hooguit 280"),
        (lambda: service.open_session(SECRET, "B", 2026, [], THEMES), "minstens één thema"),
    ]
    for call, message in cases:
        with pytest.raises(ScoringError, match=message):
            call()
    vote = service.vote(session.join_code, token, THEME, "opbouw", 3, "  twee\nregels  ")
    assert vote.reason == "twee regels"


def test_the_summary_shows_counts_only_until_the_reveal(service):
    session = open_session(service)
    for name, score, reason in (("A", 2, "zeker"), ("B", 3, "Aarzelend"), ("C", 3, ""), ("D", 5, "bijna af")):
        _, token = joined(service, session.join_code, name)
        service.vote(session.join_code, token, THEME, "lock_in", score, reason)
    hidden = summarise(service.snapshot(session.session_id), THEME)
    lock_in = next(s for s in hidden if s.dynamic_code == "lock_in")
    assert lock_in.count == 4 and not lock_in.revealed
    assert lock_in.scores == () and lock_in.median is None and lock_in.reasons == ()

    service.change_round(SECRET, session.session_id, THEME, "reveal")
    shown = summarise(service.snapshot(session.session_id), THEME)
    lock_in = next(s for s in shown if s.dynamic_code == "lock_in")
    assert lock_in.scores == (2, 3, 3, 5)
    assert (lock_in.median, lock_in.minimum, lock_in.maximum) == (3.0, 2, 5)
    assert (lock_in.q1, lock_in.q3) == (2, 3)  # whole levels someone chose: never 2,75
    assert lock_in.level_counts() == [(2, 1), (3, 2), (5, 1)]
    assert lock_in.reasons == ("Aarzelend", "bijna af", "zeker")  # alphabetical: the order says nothing of who
    assert next(s for s in shown if s.dynamic_code == "opbouw").count == 0


# --- The pages in AppTest ----------------------------------------------------------------------------------


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [h.value for h in at.header]
    parts += [s.value for s in at.subheader] + [c.value for c in at.caption] + [h.proto.body for h in at.get("html")]
    for kind in ("info", "warning", "error", "success"):
        parts += [e.value for e in getattr(at, kind)]
    return "\n".join(parts)


def param(at: AppTest, key: str) -> str | None:
    value = at.query_params.get(key)
    return value[0] if isinstance(value, list) else value


def test_participant_joins_votes_and_a_reload_keeps_identity_and_votes(app_env, service, cookie_jar):
    session = open_session(service)
    at = open_page("meedoen", code=session.join_code)
    claim_url = join_in_page(at, "Anna")
    assert "/meedoen/aanmelden?sleutel=" in claim_url
    assert set(at.query_params) == {"code"}  # the page's own URL never carries an identity
    assert browser_follows(claim_url, cookie_jar) == f"/meedoen?code={session.join_code}"
    token = cookie_jar[f"tm_deelnemer_{session.join_code}"]
    assert service.identify(session.join_code, token)[1].display_name == "Anna"

    at = open_page("meedoen", code=session.join_code)  # the redirect: a new page load that sends the cookie
    assert "u doet mee als Anna" in page_text(at)
    score_key = f"stem-{session.session_id}-{THEME}-opbouw"
    assert [tab.label for tab in at.tabs] == ["Opbouw", "Institutionalisering", "Lock-in", "Afbouw"]  # one a screen
    levels = at.radio(key=score_key)
    assert levels.options == ["1", "2", "3", "4", "5"]  # the levels are the buttons, with their rubric text
    assert "Netwerkorganisatie met terugkerende ontmoetingen en externe communicatie" in levels.proto.captions[3]
    levels.set_value(4).run()
    assert "Opgeslagen: score 4" in page_text(at)

    for changed_to in (2, 3):  # reload twice: a fresh browser session with the URL and the cookie
        reloaded = open_page("meedoen", code=session.join_code)
        assert "u doet mee als Anna" in page_text(reloaded)
        assert reloaded.radio(key=score_key).value in (4, 2)
        reloaded.radio(key=score_key).set_value(changed_to).run()
        assert not reloaded.exception

    snapshot = service.snapshot(session.session_id)
    assert snapshot.participant_count == 1
    assert [(v.dynamic_code, v.score) for v in snapshot.votes] == [("opbouw", 3)]

    cookie_jar.clear()  # the same link on someone else's phone: the join form, not Anna
    other = open_page("meedoen", code=session.join_code)
    assert "u doet mee als" not in page_text(other)
    assert [t for t in other.text_input if t.label == "Uw naam of pseudoniem"]


def test_participant_sees_last_measurement_and_a_closed_round_refuses(app_env, service, cookie_jar):
    session = open_session(service)
    _, token = joined(service, session.join_code, "Bram")
    cookie_jar[f"tm_deelnemer_{session.join_code}"] = token
    at = open_page("meedoen", code=session.join_code)
    assert "Nulmeting (2025): vastgestelde score 4" in page_text(at)  # flexibele leerroutes, lock-in
    service.change_round(SECRET, session.session_id, THEME, "close")
    at.radio(key=f"stem-{session.session_id}-{THEME}-lock_in").set_value(5).run()
    assert "De stemronde voor dit thema is gesloten" in page_text(at)
    assert service.snapshot(session.session_id).votes == ()
    assert at.radio(key=f"stem-{session.session_id}-{THEME}-lock_in").disabled


def test_participant_with_a_wrong_code_gets_a_dutch_message(app_env):
    at = open_page("meedoen", code="QQQQQQ")
    assert "Er is geen sessie met de code 'QQQQQQ'" in page_text(at)


def test_facilitator_page_without_a_configured_secret_explains_how_to_set_it(app_env, monkeypatch):
    monkeypatch.delenv("TM_FACILITATOR_SECRET")
    at = open_page("scoringssessie")
    assert "TM_FACILITATOR_SECRET" in page_text(at)
    assert not [t for t in at.text_input if t.label == "Begeleidersgeheim"]


def test_facilitator_signs_in_opens_a_session_and_reveals(app_env, service):
    at = open_page("scoringssessie")
    secret_input = next(t for t in at.text_input if t.label == "Begeleidersgeheim")
    secret_input.input("fout")
    next(b for b in at.button if b.label == "Aanmelden als begeleider").click().run()
    assert "Dat begeleidersgeheim klopt niet" in page_text(at)
    assert not [b for b in at.button if b.label == "Sessie openen"]
    assert "geheim" not in str(at.query_params).lower()

    next(t for t in at.text_input if t.label == "Begeleidersgeheim").input(SECRET)
    next(b for b in at.button if b.label == "Aanmelden als begeleider").click().run()
    assert "U bent aangemeld als begeleider" in page_text(at)
    next(t for t in at.text_input if t.label == "Uw naam (begeleider)").input("Fien")
    at.multiselect[0].set_value([THEME, "digitalisering"])
    next(b for b in at.button if b.label == "Sessie openen").click().run()
    assert not at.exception
    code = param(at, "code")
    session = service.find_session(code)
    assert session.theme_codes == (THEME, "digitalisering") and session.facilitator == "Fien"
    assert SECRET not in str(at.query_params)
    text = page_text(at)
    assert f"/meedoen?code={code}" in text and 'alt="QR-code met de link om mee te doen"' in text
    assert "0 stemmen" in text

    next(b for b in at.button if b.label == "Uitslag tonen").click().run()
    assert "De uitslag staat op het gedeelde scherm" in page_text(at)
    assert service.snapshot(session.session_id).rounds[THEME].revealed
    next(b for b in at.button if b.label == "Ronde sluiten").click().run()
    assert not service.snapshot(session.session_id).rounds[THEME].is_open

    form = f"afspraak-{session.session_id}-{THEME}-opbouw"
    at.segmented_control(key=f"{form}-score").set_value(3)
    at.text_input(key=f"{form}-notitie").input("na discussie")
    next(b for b in at.button if b.label == "Vastleggen").click().run()
    agreed = service.snapshot(session.session_id).agreed[(THEME, "opbouw")]
    assert (agreed.score, agreed.note) == (3, "na discussie")


def test_shared_screen_shows_counts_before_and_the_distribution_after_the_reveal(app_env, service):
    session = open_session(service)
    for name, score, reason in (("A", 2, HOSTILE[0]), ("B", 3, HOSTILE[1]), ("C", 3, "Middenmoot"), ("D", 4, "")):
        _, token = joined(service, session.join_code, name)
        service.vote(session.join_code, token, THEME, "institutionalisering", score, reason)

    before = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    text = page_text(before)
    assert "4 stemmen van 4 deelnemers" in text
    assert "Mediaan" not in text and "Middenmoot" not in text and "Verdeling van" not in text
    assert not [t for t in before.text_input if t.label == "Begeleidersgeheim"]  # no controls on the beamer
    assert not before.button

    service.change_round(SECRET, session.session_id, THEME, "reveal")
    beamer = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    compact = next(h.proto.body for h in beamer.get("html") if "<h3>Institutionalisering</h3>" in h.proto.body)
    assert 'class="tm-sessie tm-compact"' in compact and "<img" not in compact  # four fit one beamer screen
    assert "Mediaan 3</b> · spreiding 2–4 · de middelste helft van de stemmen ligt tussen 2 en 3" in compact
    assert "<b>3</b>: " in compact and "●●</span> 2 stemmen" in compact and "IQR" not in compact
    after = open_page("scoringssessie", code=session.join_code)  # the same screen on a laptop: everything
    cell = next(h.proto.body for h in after.get("html") if "<h3>Institutionalisering</h3>" in h.proto.body)
    assert "Mediaan 3" in cell and "spreiding 2–4" in cell and "tussen 2 en 3" in cell and "IQR" not in cell
    assert "Verdeling van 4 stemmen: 1× 2, 2× 3, 1× 4; mediaan 3; vorige meting 2" in cell
    assert "Nulmeting (2025): vastgestelde score 2" in cell
    assert html.escape(HOSTILE[0]) in cell and HOSTILE[0] not in cell  # shown literally, never as HTML
    assert HOSTILE[1] in cell and "<a " not in cell  # never Markdown either
    assert "Middenmoot" in cell and "<b>3</b>:" in cell  # the rubric text of the levels in play
    for name in ("A", "B", "C", "D"):
        assert f">{name}<" not in cell


# --- The beamer follows the facilitator (issue #18) -----------------------------------------------------------


def signed_in_facilitator(code: str) -> AppTest:
    at = open_page("scoringssessie", code=code)
    next(t for t in at.text_input if t.label == "Begeleidersgeheim").input(SECRET)
    next(b for b in at.button if b.label == "Aanmelden als begeleider").click().run()
    assert "U bent aangemeld als begeleider" in page_text(at)
    return at


def test_the_beamer_shows_the_round_the_facilitator_chose_from_the_store_not_its_own_url(app_env, service):
    session = open_session(service, (THEME, "digitalisering"))
    beamer = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    assert beamer.title[0].value == "Flexibele leerroutes"
    assert not [s for s in beamer.segmented_control if s.key == "ronde"]  # no controls on the beamer: it follows

    facilitator = signed_in_facilitator(session.join_code)
    facilitator.segmented_control(key="ronde").set_value("digitalisering").run()
    assert service.snapshot(session.session_id).shown_theme == "digitalisering"
    beamer = open_page("scoringssessie", code=session.join_code, weergave="presentatie", ronde=THEME)
    assert beamer.title[0].value.startswith("Digitalisering")  # the store wins over the beamer's old link

    facilitator.segmented_control(key="ronde").set_value(THEME).run()
    next(b for b in facilitator.button if b.label == "Uitslag tonen").click().run()
    snapshot = service.snapshot(session.session_id)
    assert snapshot.shown_theme == THEME and snapshot.rounds[THEME].revealed
    with pytest.raises(NotAuthorised):
        service.show_theme("fout", session.session_id, "digitalisering")


def test_the_facilitators_record_lists_participants_and_counts_every_event(app_env, service):
    session = open_session(service)
    facilitator = signed_in_facilitator(session.join_code)
    assert "Nog niemand." in [t.value for t in facilitator.text]
    _, token = joined(service, session.join_code, "Anna")
    service.vote(session.join_code, token, THEME, "opbouw", 4, "")
    facilitator.run()
    assert "Anna" in [t.value for t in facilitator.text]
    assert "1 aangemeld" in page_text(facilitator)
    (log,) = [b for b in facilitator.get("download_button") if b.proto.label.startswith("Logboek")]
    assert "(CSV, 3 gebeurtenissen" in log.proto.label


@pytest.mark.parametrize(
    ("scores", "middle", "suggested"),
    [
        ((2, 3, 3, 4), (2, 3), 3),
        ((3, 4), (3, 4), 4),
        ((2, 3), (2, 3), 3),
        ((4,), (4, 4), 4),
        ((1, 2, 4, 5, 5), (2, 5), 4),
    ],
)
def test_the_middle_half_is_whole_levels_and_the_median_rounds_a_half_up(service, scores, middle, suggested):
    session = open_session(service)
    for n, score in enumerate(scores):
        _, token = joined(service, session.join_code, f"D{n}")
        service.vote(session.join_code, token, THEME, "afbouw", score, "")
    service.change_round(SECRET, session.session_id, THEME, "reveal")
    (afbouw,) = [s for s in summarise(service.snapshot(session.session_id), THEME) if s.dynamic_code == "afbouw"]
    assert (afbouw.q1, afbouw.q3) == middle
    assert afbouw.suggested_score == suggested  # 2,5 → 3 where round() gives 2


def test_after_the_reveal_the_agreed_score_has_the_median_preselected(app_env, service):
    session = open_session(service)
    for n, score in enumerate((2, 3)):  # median 2,5: a half, rounded up to 3
        _, token = joined(service, session.join_code, f"D{n}")
        service.vote(session.join_code, token, THEME, "opbouw", score, "")
    facilitator = signed_in_facilitator(session.join_code)
    score_key = f"afspraak-{session.session_id}-{THEME}-opbouw-score"
    assert facilitator.segmented_control(key=score_key).value is None  # nothing to suggest before the reveal
    next(b for b in facilitator.button if b.label == "Uitslag tonen").click().run()
    assert facilitator.segmented_control(key=score_key).value == 3
    assert "Voorgesteld: de mediaan 2,5, afgerond op een heel niveau (een half naar boven): 3." in page_text(
        facilitator
    )
    facilitator.segmented_control(key=score_key).set_value(2)
    next(b for b in facilitator.button if b.label == "Vastleggen").click().run()
    assert service.snapshot(session.session_id).agreed[(THEME, "opbouw")].score == 2
    assert facilitator.segmented_control(key=score_key).value == 2  # the facilitator's choice stays


def test_a_pasted_reason_over_280_characters_is_kept_shortened_with_a_dutch_note(app_env, service, cookie_jar):
    session = open_session(service)
    _, token = joined(service, session.join_code, "Anna")
    cookie_jar[f"tm_deelnemer_{session.join_code}"] = token
    at = open_page("meedoen", code=session.join_code)
    at.radio(key=f"stem-{session.session_id}-{THEME}-opbouw").set_value(4).run()
    pasted = "Een lange toelichting. " * 20  # 460 characters
    at.text_input(key=f"reden-{session.session_id}-{THEME}-opbouw").input(pasted).run()
    assert not at.exception
    (vote,) = service.snapshot(session.session_id).votes
    assert len(vote.reason) <= 280 and pasted.startswith(vote.reason)
    assert at.text_input(key=f"reden-{session.session_id}-{THEME}-opbouw").value == vote.reason  # never empty
    assert "Uw toelichting was 459 tekens; alleen de eerste 280 zijn bewaard." in page_text(at)


def test_a_reopened_round_shows_the_previous_round_and_whether_the_votes_came_closer(app_env, service):
    """Delphi-style: round 1 votes 2, 3, 5; after discussion round 2 votes 3, 3, 4. The beamer numbers the round
    and, once revealed, shows round 1's counts beside the new ones and says the spread narrowed."""
    session = open_session(service)
    tokens = []
    for name, score in (("A", 2), ("B", 3), ("C", 5)):
        _, token = joined(service, session.join_code, name)
        service.vote(session.join_code, token, THEME, "lock_in", score, "")
        tokens.append(token)
    for action in ("reveal", "close", "reopen"):
        service.change_round(SECRET, session.session_id, THEME, action)
    for token, score in zip(tokens, (3, 3, 4), strict=True):
        service.vote(session.join_code, token, THEME, "lock_in", score, "")

    hidden = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    assert "ronde 2 · stemronde open" in page_text(hidden)
    assert "Ronde 1:" not in page_text(hidden)  # a new round votes unbiased: nothing of round 1 before the reveal

    service.change_round(SECRET, session.session_id, THEME, "reveal")
    beamer = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    cell = next(h.proto.body for h in beamer.get("html") if "<h3>Lock-in</h3>" in h.proto.body)
    assert "de middelste helft van de stemmen ligt tussen 3 en 4" in cell
    assert "Ronde 1: 1 stem op 2, 1 op 3 en 1 op 5; middelste helft 2–5." in cell
    assert "De stemmen liggen nu dichter bij elkaar." in cell
    opbouw = next(h.proto.body for h in beamer.get("html") if "<h3>Opbouw</h3>" in h.proto.body)
    assert "Ronde 1" not in opbouw  # no votes in either round: nothing to compare
