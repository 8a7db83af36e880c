"""The scoring session's doors, tried as an attacker did (issue #16): secret guessing, weak secrets, tokens the
browser chose, identity in a shareable link, Markdown and bidi tricks in typed text, floods of joins and votes,
a beamer drowned by a thousand votes, and a log that doubled an unchanged vote. Each test names its probe.

The store-level halves (counters and claims across servers, on SQLite and PostgreSQL, the CSV log) are in
test_vote_store.py; a real browser in test_scoring_browser.py; generated hostile input in test_scoring_fuzz.py.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app.scoring import display, figures, runtime
from app.scoring.limits import Limits, wait_text
from app.scoring.participant_cookie import COOKIE_SECONDS
from app.scoring.session import (
    FacilitatorDisabled,
    NotAuthorised,
    ScoringError,
    ScoringService,
    SessionIsFull,
    TooManyAttempts,
)
from app.scoring.summary import CellSummary, summarise
from tests.helpers import follow_claim, joined, set_cookies
from warehouse.votes import Agreed, Session, Snapshot, SqliteVoteStore, Vote
from warehouse.votes.model import Round

APP = Path(__file__).resolve().parent.parent / "app" / "streamlit_app.py"
SECRET = "koersteam-geheim-2026"
THEMES = ["digitalisering", "flexibele_leerroutes", "student_naar_lerende", "leren_met_maatschappij"]
THEME = "flexibele_leerroutes"
MARKDOWN_IMAGE = "![](//example.invalid/x)"
RTL_OVERRIDE = "\u202e"


class Clock:
    """A clock the test moves: back-off and windows without sleeping."""

    def __init__(self, start: float = 1_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def votes_path(tmp_path: Path) -> Path:
    return tmp_path / "votes.sqlite"


@pytest.fixture
def clock() -> Clock:
    return Clock()


def server(votes_path: Path, clock: Clock, client: str = "198.51.100.1", **limits) -> ScoringService:
    """One app server's view for one client: a store object of its own on the shared store file."""
    return ScoringService(SqliteVoteStore(votes_path), SECRET, client=client, limits=Limits(**limits), clock=clock)


@pytest.fixture
def service(votes_path: Path, clock: Clock) -> ScoringService:
    return server(votes_path, clock)


def open_session(service: ScoringService):
    return service.open_session(SECRET, "Begeleider", 2026, [THEME], THEMES)


@pytest.fixture
def app_env(warehouse_path, votes_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("TM_VOTES_PATH", str(votes_path))
    monkeypatch.setenv("TM_FACILITATOR_SECRET", SECRET)
    monkeypatch.delenv("TM_VOTES_URL", raising=False)
    monkeypatch.delenv(Limits.ENV, raising=False)


@pytest.fixture
def cookie_jar(monkeypatch) -> dict[str, str]:
    """The cookies 'the browser' sends with each page load in AppTest (runtime.request_cookies)."""
    jar: dict[str, str] = {}
    monkeypatch.setattr(runtime, "request_cookies", lambda: dict(jar))
    return jar


def open_page(page: str, **params: str) -> AppTest:
    at = AppTest.from_file(str(APP), default_timeout=30)
    at.query_params.update(params)
    at.run()
    at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def markdown_sources(at: AppTest) -> list[str]:
    """The Markdown source of everything Streamlit renders as Markdown on the page."""
    parts = [m.value for m in at.markdown] + [t.value for t in at.title] + [c.value for c in at.caption]
    for kind in ("info", "warning", "error", "success"):
        parts += [e.value for e in getattr(at, kind)]
    return parts


def page_text(at: AppTest) -> str:
    return "\n".join(markdown_sources(at) + [h.proto.body for h in at.get("html")])


def join_in_page(at: AppTest, name: str) -> str:
    next(t for t in at.text_input if t.label == "Uw naam of pseudoniem").input(name)
    next(b for b in at.button if b.label == "Meedoen").click().run()
    assert not at.exception, [e.value for e in at.exception]
    (link,) = [b for b in at.link_button if b.label == "Verder naar de stemronde"]
    return link.proto.url


# --- Probe 1: guessing the facilitator secret ---------------------------------------------------------------


def test_1_secret_guesses_are_throttled_per_client_and_server_wide(votes_path, clock):
    """300 wrong secrets in 25 s over one websocket, then the right one was accepted at once."""
    service = server(votes_path, clock, client="198.51.100.1")
    refusals = []
    for guess in range(300):
        with pytest.raises(ScoringError) as refused:
            service.check_secret(f"gok-{guess:04d}-geheim")
        refusals.append(refused.value)
    assert all(isinstance(r, NotAuthorised) for r in refusals[:5])
    assert all(isinstance(r, TooManyAttempts) for r in refusals[5:])
    with pytest.raises(TooManyAttempts, match=r"Te veel verkeerde pogingen .* Wacht 15 seconden"):
        service.check_secret(SECRET)  # the right one, through the block: refused without being compared

    another_server = server(votes_path, clock, client="198.51.100.1")  # the store is shared: so is the block
    with pytest.raises(TooManyAttempts):
        another_server.check_secret(SECRET)
    server(votes_path, clock, client="203.0.113.9").check_secret(SECRET)  # another address is not blocked

    clock.now += 16  # the block is over; one more wrong guess blocks twice as long
    with pytest.raises(NotAuthorised):
        service.check_secret("nog-een-verkeerde-gok")
    with pytest.raises(TooManyAttempts, match="Wacht 30 seconden"):
        service.check_secret(SECRET)
    clock.now += 31
    service.check_secret(SECRET)  # and the right one clears this address's failures
    with pytest.raises(NotAuthorised):
        service.check_secret("een-typefout-daarna")


def test_1_many_addresses_together_are_throttled_too(votes_path, clock):
    for number in range(20):  # one wrong guess each from twenty addresses
        with pytest.raises(NotAuthorised):
            server(votes_path, clock, client=f"192.0.2.{number}").check_secret("verkeerd-geheim-van-buiten")
    with pytest.raises(TooManyAttempts, match="Wacht 15 seconden"):
        server(votes_path, clock, client="192.0.2.200").check_secret(SECRET)
    clock.now += 16
    server(votes_path, clock, client="192.0.2.200").check_secret(SECRET)


def test_1_the_secret_is_compared_in_constant_time(service, monkeypatch):
    import hmac

    compared = []
    real = hmac.compare_digest
    monkeypatch.setattr(hmac, "compare_digest", lambda a, b: compared.append((a, b)) or real(a, b))
    service.check_secret(SECRET)
    assert compared == [(SECRET.encode(), SECRET.encode())]


def test_1_the_facilitator_page_says_how_long_to_wait(app_env):
    at = open_page("scoringssessie")
    for attempt in range(6):
        next(t for t in at.text_input if t.label == "Begeleidersgeheim").input(f"fout-{attempt}-geheim")
        next(b for b in at.button if b.label == "Aanmelden als begeleider").click().run()
    next(t for t in at.text_input if t.label == "Begeleidersgeheim").input(SECRET)
    next(b for b in at.button if b.label == "Aanmelden als begeleider").click().run()
    text = page_text(at)
    assert "Te veel verkeerde pogingen met het begeleidersgeheim" in text and "seconden" in text
    assert "U bent aangemeld als begeleider" not in text


# --- Probe 2: a one-character secret --------------------------------------------------------------------------


@pytest.mark.parametrize("weak", ["a", "kort-11tkns", "aaaaaaaaaaaaaaaaaaaa", "abababababababab"])
def test_2_a_weak_secret_keeps_the_facilitator_controls_off_and_says_why(votes_path, weak):
    service = ScoringService(SqliteVoteStore(votes_path), weak)
    assert not service.facilitator_enabled
    for given in (weak, SECRET):
        with pytest.raises(FacilitatorDisabled, match="te zwak.*minstens 12 tekens.*TM_FACILITATOR_SECRET"):
            service.check_secret(given)
    with pytest.raises(FacilitatorDisabled):
        service.open_session(weak, "X", 2026, [THEME], THEMES)


def test_2_the_page_refuses_to_start_the_facilitator_role_with_a_weak_secret(app_env, monkeypatch):
    monkeypatch.setenv("TM_FACILITATOR_SECRET", "a")
    at = open_page("scoringssessie")
    assert "het ingestelde begeleidersgeheim is te zwak" in page_text(at)
    assert "minstens 12 tekens" in page_text(at)
    assert not [t for t in at.text_input if t.label == "Begeleidersgeheim"]


# --- Probes 3 and 4: who chooses the token, and where identity travels -----------------------------------------


def test_3_a_token_the_server_did_not_issue_is_refused(service):
    session = open_session(service)
    anna, token = joined(service, session.join_code, "Anna")
    assert len(token) >= 40 and token not in anna.participant_id
    for guessed in ("a", "", token[:-1], token + "x", "x" * 10_000, anna.participant_id):
        assert service.identify(session.join_code, guessed)[1] is None
        with pytest.raises(ScoringError, match="U doet nog niet mee"):
            service.vote(session.join_code, guessed, THEME, "opbouw", 5, "")
    assert service.snapshot(session.session_id).votes == ()


def test_3_a_participant_named_in_the_url_is_never_created(app_env, service, cookie_jar):
    """`/meedoen?code=…&deelnemer=a` created a participant with token `a`."""
    session = open_session(service)
    at = open_page("meedoen", code=session.join_code, deelnemer="a")
    assert "deelnemer" not in at.query_params
    join_in_page(at, "Mallory")
    assert "deelnemer" not in at.query_params
    assert service.identify(session.join_code, "a")[1] is None
    cookie_jar["tm_deelnemer_" + session.join_code] = "a"  # nor by a cookie the browser made up
    assert "u doet mee als" not in page_text(open_page("meedoen", code=session.join_code))
    assert service.snapshot(session.session_id).participant_count == 0  # the claim is not redeemed yet


def test_4_the_claim_route_sets_an_httponly_cookie_once(votes_path, clock, monkeypatch):
    monkeypatch.setenv("TM_VOTES_PATH", str(votes_path))  # the route opens the configured store
    monkeypatch.delenv("TM_VOTES_URL", raising=False)
    service = ScoringService(SqliteVoteStore(votes_path), SECRET)  # the route's clock is the real one
    session = open_session(service)
    _, claim = service.join(session.join_code, "Anna")
    url = f"http://testserver/meedoen/aanmelden?sleutel={claim}"
    response = follow_claim(url)
    assert response.status_code == 303
    assert response.headers["location"] == f"/meedoen?code={session.join_code}"
    assert response.headers["cache-control"] == "no-store"
    cookie = set_cookies(response)[f"tm_deelnemer_{session.join_code}"]
    assert {"httponly", "path", "samesite", "max-age"} <= set(cookie)
    assert cookie["path"] == "/" and cookie["samesite"].lower() == "lax" and "secure" not in cookie
    assert int(cookie["max-age"]) == COOKIE_SECONDS
    assert service.identify(session.join_code, cookie["value"])[1].display_name == "Anna"

    again = follow_claim(url)  # the link used twice (a copied link, a back button): nobody
    assert again.headers["location"] == "/meedoen?melding=verlopen" and not set_cookies(again)
    assert service.snapshot(session.session_id).participant_count == 1

    _, claim = service.join(session.join_code, "Bram")
    behind_proxy = follow_claim(f"http://intern:8501/meedoen/aanmelden?sleutel={claim}", {"X-Forwarded-Proto": "https"})
    assert "secure" in set_cookies(behind_proxy)[f"tm_deelnemer_{session.join_code}"]

    monkeypatch.setattr(runtime, "store", lambda: 1 / 0)  # the store unreachable: a Dutch note, no trace
    failed = follow_claim(f"http://testserver/meedoen/aanmelden?sleutel={claim}")
    assert failed.headers["location"] == "/meedoen?melding=storing" and not set_cookies(failed)
    monkeypatch.undo()

    later = server(votes_path, clock)
    _, claim = later.join(session.join_code, "Cas")
    clock.now += 121  # a claim waits two minutes for its browser
    with pytest.raises(ScoringError, match="al gebruikt of verlopen"):
        later.redeem_claim(claim)


def test_4_identity_is_in_a_cookie_not_in_the_link(app_env, service, cookie_jar):
    """Anyone who opened a participant's link was that participant and could change their votes."""
    session = open_session(service)
    at = open_page("meedoen", code=session.join_code)
    response = follow_claim(join_in_page(at, "Anna"))
    cookie_jar.update({name: c["value"] for name, c in set_cookies(response).items()})
    anna = open_page("meedoen", code=session.join_code)
    assert "u doet mee als Anna" in page_text(anna)
    assert [s for s in anna.radio if s.label.startswith("Uw score")]
    anna_link = dict(anna.query_params)
    assert set(anna_link) == {"code"}

    cookie_jar.clear()  # the link on another phone
    stranger = open_page("meedoen", **{k: v[0] if isinstance(v, list) else v for k, v in anna_link.items()})
    assert "u doet mee als" not in page_text(stranger)
    assert [t for t in stranger.text_input if t.label == "Uw naam of pseudoniem"]
    assert not [s for s in stranger.radio if s.label.startswith("Uw score")]


# --- Probe 5: Markdown in a code or a name -------------------------------------------------------------------


def test_5_a_markdown_image_in_the_code_or_a_name_stays_text(app_env, service, cookie_jar):
    at = open_page("meedoen", code=MARKDOWN_IMAGE)
    for source in markdown_sources(at):
        assert "](" not in source.replace("\\](", ""), source  # no live link or image syntax
    assert any("Er is geen sessie met de code" in s for s in markdown_sources(at))

    session = open_session(service)
    _, token = joined(service, session.join_code, "![](//x.invalid/a) [klik](//x.invalid)")
    cookie_jar["tm_deelnemer_" + session.join_code] = token
    page = open_page("meedoen", code=session.join_code)
    (caption,) = [c.value for c in page.caption if "u doet mee als" in c.value]
    assert "\\[klik\\]" in caption and "![](" not in caption and "[klik](" not in caption


def test_5_scoring_errors_never_repeat_typed_markup(service):
    with pytest.raises(ScoringError) as refused:
        service.find_session("<img src=x>![](//example.invalid/x)")
    assert "<" not in str(refused.value) and "](" not in str(refused.value)
    with pytest.raises(ScoringError, match="geen sessie met de code 'QQQQQQ'"):
        service.find_session("qqqqqq")


# --- Probe 8: floods of joins and votes ----------------------------------------------------------------------


def test_8_a_session_has_a_participant_cap(votes_path, clock):
    service = server(votes_path, clock, max_participants=3)
    session = open_session(service)
    waiting = [service.join(session.join_code, f"D{n}")[1] for n in range(3)]  # three claims, none used yet
    late_claim = service.join(session.join_code, "D3")[1]
    for claim in waiting:
        service.redeem_claim(claim)
    with pytest.raises(SessionIsFull, match="Deze sessie is vol: er doen al 3 deelnemers mee"):
        service.join(session.join_code, "Nog een")
    with pytest.raises(SessionIsFull):
        service.redeem_claim(late_claim)
    assert service.snapshot(session.session_id).participant_count == 3


def test_8_the_cap_comes_from_the_environment():
    assert Limits.from_env({}).max_participants == 60
    assert Limits.from_env({Limits.ENV: "25"}).max_participants == 25
    for bad in ("abc", "0", "-5", "１２", "99999999999"):
        assert Limits.from_env({Limits.ENV: bad}).max_participants == 60


def test_8_joins_are_throttled_per_session_and_per_client(votes_path, clock):
    service = server(votes_path, clock, joins_per_minute_per_session=5, joins_per_minute_per_client=8)
    first, second = open_session(service), open_session(service)
    for number in range(5):
        service.join(first.join_code, f"D{number}")
    with pytest.raises(TooManyAttempts, match="te veel deelnemers tegelijk aan. Wacht 1 minuut"):
        service.join(first.join_code, "Zesde")
    other_address = server(votes_path, clock, client="203.0.113.50", joins_per_minute_per_session=5)
    with pytest.raises(TooManyAttempts):  # per session: from any address, on any server
        other_address.join(first.join_code, "Zesde")
    for number in range(3):
        service.join(second.join_code, f"E{number}")
    with pytest.raises(TooManyAttempts):  # per client: eight in a minute, whatever the session
        service.join(second.join_code, "Negende")
    clock.now += 61
    service.join(first.join_code, "Zesde")


def test_8_votes_are_throttled_per_participant_and_session(votes_path, clock):
    service = server(votes_path, clock, votes_per_minute_per_participant=5, votes_per_minute_per_session=8)
    session = open_session(service)
    _, anna = joined(service, session.join_code, "Anna")
    _, bram = joined(service, session.join_code, "Bram")
    for score in (1, 2, 3, 4, 5):
        service.vote(session.join_code, anna, THEME, "opbouw", score, "")
    with pytest.raises(TooManyAttempts, match="U stemt te vaak kort na elkaar. Wacht 1 minuut"):
        service.vote(session.join_code, anna, THEME, "opbouw", 1, "")
    for score in (1, 2, 3):
        server(votes_path, clock, votes_per_minute_per_session=8).vote(session.join_code, bram, THEME, "afbouw", score)
    with pytest.raises(TooManyAttempts):  # the session's eight in this minute are used, across servers
        service.vote(session.join_code, bram, THEME, "afbouw", 4, "")
    clock.now += 60
    assert service.vote(session.join_code, anna, THEME, "opbouw", 1, "").score == 1
    assert len([e for e in service.store.events() if e["event_type"].startswith("vote_")]) == 9


def test_8_unknown_join_codes_are_throttled_per_client(votes_path, clock):
    service = server(votes_path, clock)
    session = open_session(service)
    for _ in range(30):
        with pytest.raises(ScoringError, match="geen sessie"):
            service.find_session("ZZZZZZ")
    with pytest.raises(TooManyAttempts, match="Te veel onbekende sessiecodes geprobeerd. Wacht 15 seconden"):
        service.find_session(session.join_code)  # even a right code waits: no way to tell the two apart
    server(votes_path, clock, client="203.0.113.3").find_session(session.join_code)  # another address is fine
    for _ in range(4):  # the wait doubles, but never beyond a minute
        clock.now += 61
        with pytest.raises(ScoringError, match="geen sessie"):
            service.find_session("ZZZZZZ")
    with pytest.raises(TooManyAttempts, match="Wacht 1 minuut"):
        service.find_session(session.join_code)


def test_8_a_full_session_says_so_on_the_phone(app_env, service, monkeypatch):
    monkeypatch.setenv(Limits.ENV, "1")
    session = open_session(service)
    joined(service, session.join_code, "Eerste")
    at = open_page("meedoen", code=session.join_code)
    next(t for t in at.text_input if t.label == "Uw naam of pseudoniem").input("Tweede")
    next(b for b in at.button if b.label == "Meedoen").click().run()
    assert "Deze sessie is vol" in page_text(at)
    assert not at.link_button


# --- Probe 9: a thousand votes on the beamer -----------------------------------------------------------------


def thousand_votes_snapshot() -> Snapshot:
    session = Session("s", "K7QM4X", 2026, (THEME,), "Begeleider", "2026-01-01T00:00:00.000Z")
    votes = tuple(
        Vote(f"p{n}", THEME, "opbouw", 1 + n % 5, f"Toelichting nummer {n} " + "x" * 200, n, "2026-01-01")
        for n in range(1_000)
    )
    return Snapshot(session, {THEME: Round(THEME, True, True)}, votes, {}, 1_000)


@pytest.fixture
def warehouse_env(warehouse_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))  # the rubric text beside the votes


def test_9_a_thousand_votes_fit_the_shared_screen(warehouse_env):
    """After the reveal the beamer page was 1.25 MB of HTML with 6,460 reasons and dot columns ~400 tall."""
    summary = next(s for s in summarise(thousand_votes_snapshot(), THEME) if s.dynamic_code == "opbouw")
    dynamic = {"dynamic_code": "opbouw", "dynamic_name": "Opbouw"}
    cell = display.cell_html(dynamic, summary, 3, "Nulmeting (2025): vastgestelde score 3", 1_000)
    print(f"one cell with 1000 votes: {len(cell.encode())} bytes")
    assert len(cell.encode()) < 12_000, len(cell.encode())
    assert cell.count("<li>Toelichting nummer") == 6
    assert "en 994 andere toelichtingen" in cell
    (image,) = re.findall(r'src="data:image/svg\+xml;base64,([^"]+)"', cell)
    svg = base64.b64decode(image).decode()
    assert "<circle" not in svg and svg.count("<rect") == 2 + 5  # background, band, one bar per level
    assert ">200<" in svg  # the count per level, as text
    height = float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', svg).group(1))
    assert height == float(re.search(r'viewBox="0 0 \d+ ([\d.]+)"', figures.dot_plot_svg((1,) * 10)).group(1))
    assert summary.reason_sample() == summary.reason_sample()  # the same sample on every refresh


def test_9_a_few_votes_are_still_dots():
    svg = figures.dot_plot_svg((2, 3, 3, 4))
    assert svg.count("<circle") == 4


def test_9_the_beamer_page_stays_small_with_a_thousand_votes(app_env, votes_path, monkeypatch):
    monkeypatch.setenv(Limits.ENV, "2000")
    store = SqliteVoteStore(votes_path)
    session = store.open_session(facilitator="B", measurement_year=2026, theme_codes=[THEME], join_code="K7QM4X")
    with store._transaction(write=True) as tx:  # a thousand participants and votes in one go: this is no API test
        for n in range(1_000):
            tx.run(
                "insert into scoring_participant (participant_id, session_id, token_hash, display_name, joined_at) "
                "values (?, ?, ?, ?, '2026')",
                [f"p{n}", session.session_id, f"h{n}", f"D{n}"],
            )
            tx.run(
                "insert into scoring_vote (session_id, participant_id, theme_code, dynamic_code, score, reason, "
                "event_id, cast_at) values (?, ?, ?, ?, ?, ?, ?, '2026')",
                [session.session_id, f"p{n}", THEME, ("opbouw", "lock_in")[n % 2], 1 + n % 5, f"reden {n}", n],
            )
    store.change_round(session.session_id, THEME, "round_revealed")
    at = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    html = "".join(h.proto.body for h in at.get("html"))
    assert "500 stemmen van 1000 deelnemers" in html
    print(f"beamer HTML with 1000 votes: {len(html.encode())} bytes")
    assert len(html.encode()) < 60_000, len(html.encode())
    assert html.count("andere toelichtingen") == 2


# --- Probe 10: one event per real change ---------------------------------------------------------------------


def test_10_typing_a_reason_then_clicking_a_score_logs_one_event(app_env, service, cookie_jar):
    session = open_session(service)
    _, token = joined(service, session.join_code, "Anna")
    cookie_jar["tm_deelnemer_" + session.join_code] = token
    at = open_page("meedoen", code=session.join_code)
    at.text_input(key=f"reden-{session.session_id}-{THEME}-opbouw").input("omdat het zo is")
    at.radio(key=f"stem-{session.session_id}-{THEME}-opbouw").set_value(4).run()
    assert not at.exception
    votes = [e for e in service.store.events(session.session_id) if e["event_type"].startswith("vote_")]
    assert [(e["event_type"], e["score"], e["text"]) for e in votes] == [("vote_cast", 4, "omdat het zo is")]


# --- Probe 11: bidi controls --------------------------------------------------------------------------------


def test_11_a_right_to_left_override_never_reaches_the_page(app_env, service, cookie_jar):
    session = open_session(service)
    _, token = joined(service, session.join_code, f"Anna{RTL_OVERRIDE}sdrawkcab")
    service.vote(session.join_code, token, THEME, "opbouw", 3, f"eerlijk {RTL_OVERRIDE}gidnesrevo")
    service.record_agreed(SECRET, session.session_id, THEME, "opbouw", 3, f"notitie {RTL_OVERRIDE}tsket")
    service.change_round(SECRET, session.session_id, THEME, "reveal")
    screen = open_page("scoringssessie", code=session.join_code, weergave="presentatie")
    screen_text = page_text(screen)
    assert "eerlijk gidnesrevo" in screen_text and "notitie tsket" in screen_text
    cookie_jar["tm_deelnemer_" + session.join_code] = token
    phone_text = page_text(open_page("meedoen", code=session.join_code))
    assert "Annasdrawkcab" in phone_text
    for text in (screen_text, phone_text):
        assert not re.search("[\u202a-\u202e\u2066-\u2069]", text)


def test_11_the_shared_screen_removes_bidi_controls_itself(warehouse_env):
    """Whatever the store holds (older votes, another way in), the beamer's HTML carries no bidi control."""
    summary = CellSummary(
        "opbouw",
        1,
        True,
        (3,),
        3.0,
        3,
        3,
        3.0,
        3.0,
        (f"eerlijk {RTL_OVERRIDE}gidnesrevo",),
        Agreed(THEME, "opbouw", 3, f"notitie {RTL_OVERRIDE}tsket", "2026"),
    )
    cell = display.cell_html({"dynamic_code": "opbouw", "dynamic_name": "Opbouw"}, summary, None, "geen", 1)
    assert "eerlijk gidnesrevo" in cell and "notitie tsket" in cell and RTL_OVERRIDE not in cell


def test_wait_text_is_dutch_and_rounds_up():
    assert [wait_text(s) for s in (0.2, 1, 14.1, 59.5, 60, 61, 900)] == [
        "1 seconde",
        "1 seconde",
        "15 seconden",
        "1 minuut",
        "1 minuut",
        "2 minuten",
        "15 minuten",
    ]


# --- Probe 6, the spreadsheet the session page writes ----------------------------------------------------------


def test_6_an_agreed_note_never_becomes_a_formula_in_the_experts_form(warehouse_env, service):
    """The facilitator's download of the pre-filled form carries the agreed notes: a note typed as a formula
    opens as text. (The form itself is warehouse/template.py; the session guards what it hands over.)"""
    import io

    from openpyxl import load_workbook

    session = open_session(service)
    service.record_agreed(SECRET, session.session_id, THEME, "opbouw", 3, '=HYPERLINK("http://example.invalid","x")')
    workbook = load_workbook(io.BytesIO(display.prefilled_form(service.indicative_cells(2026), 2026)))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value is not None]
    assert not [c.coordinate for c in cells if c.data_type == "f" or str(c.value).startswith("=")]
    assert any(str(c.value).startswith("'=HYPERLINK(") for c in cells)
