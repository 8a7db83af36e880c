"""Faults a koersteam meeting survives, on the staging topology (nginx, two app servers, PostgreSQL, sign-in on):

- the app server that the facilitator and half the phones are on is killed mid-vote: they go on on the other
  server, each phone as the same participant, no vote lost or counted twice, and the facilitator — still signed in
  — closes the round and shows the result;
- PostgreSQL restarts mid-session: a vote cast while it is down gets a Dutch 'probeer het … opnieuw' and
  succeeds after, and nothing is half-written (the event log and the current votes agree).

Phones join by the session code without signing in; the facilitator is a signed-in begeleider. The pages and the
service API are used as they are: these tests say what a meeting sees, not how identity is carried.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

from app.scoring.limits import Limits  # noqa: E402
from app.scoring.session import ScoringService, TryAgain  # noqa: E402
from tests.helpers import joined, score_button  # noqa: E402
from tests.oidc_server import USERS  # noqa: E402
from tests.signin import context_on, idle, server_of  # noqa: E402
from warehouse.votes import PostgresVoteStore, audit  # noqa: E402

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
THEME = "flexibele_leerroutes"


def radio(page, dynamic: str, score: int):
    return score_button(page, dynamic, score)


def vote_until_saved(page, dynamic: str, score: int, attempts: int = 4) -> int:
    """Click a score as a person would: if 'Opgeslagen' does not appear, the choice must visibly not have stuck
    (the button unchecked, no confirmation), and the person taps again. Returns the taps needed."""
    for attempt in range(1, attempts + 1):
        radio(page, dynamic, score).click()
        try:
            expect(page.get_by_text(f"Opgeslagen: score {score}").first).to_be_visible(timeout=5_000)
        except AssertionError:
            expect(radio(page, dynamic, score)).not_to_be_checked(timeout=5_000)
            continue
        idle(page)
        return attempt
    raise AssertionError(f"{dynamic} {score} was not saved after {attempts} taps")


def join(page, name: str) -> None:
    page.get_by_label("Uw naam of pseudoniem").fill(name)
    page.get_by_role("button", name="Meedoen").click()
    expect(page.get_by_text(f"u doet mee als {name}")).to_be_visible(timeout=30_000)
    idle(page)


def click_until(page, button: str, confirmation: str, attempts: int = 3) -> None:
    for _ in range(attempts):
        page.get_by_role("button", name=button).click()
        try:
            expect(page.get_by_text(confirmation)).to_be_visible(timeout=6_000)
            return
        except AssertionError:
            continue
    raise AssertionError(f"'{button}' did not lead to '{confirmation}'")


def votes_by_name(store: PostgresVoteStore, session_id: str) -> dict[str, dict[str, int]]:
    """Each participant's current votes, by the name they joined with (read from the event log)."""
    events = store.events(session_id)
    names = {e["participant_id"]: e["display_name"] for e in events if e["event_type"] == "participant_joined"}
    found: dict[str, dict[str, int]] = {name: {} for name in names.values()}
    for vote in store.snapshot(session_id).votes:
        found[names[vote.participant_id]][vote.dynamic_code] = vote.score
    return found


def assert_log_and_state_agree(store: PostgresVoteStore, session_id: str) -> None:
    """Nothing half-written: every current vote is the latest vote event of its cell, and every cell with a vote
    event has its current vote."""
    latest = {}
    for event in store.events(session_id):
        if event["event_type"] in ("vote_cast", "vote_changed"):
            cell = (event["participant_id"], event["theme_code"], event["dynamic_code"])
            latest[cell] = (event["event_id"], event["score"])
    current = {
        (v.participant_id, v.theme_code, v.dynamic_code): (v.event_id, v.score)
        for v in store.snapshot(session_id).votes
    }
    assert current == latest


def test_killing_the_server_of_the_facilitator_and_half_the_phones_mid_vote_loses_and_doubles_nothing(
    staging, browser, signed_in
):
    victim, survivor = "app1", "app2"
    begeleider = signed_in.state("begeleider")
    facilitator_context = context_on(
        browser, staging, victim, viewport={"width": 1280, "height": 900}, storage_state=begeleider
    )
    contexts = [facilitator_context]
    store = PostgresVoteStore(staging.postgres.url)
    try:
        facilitator = facilitator_context.new_page()
        provider_visits = []
        facilitator.on(
            "request", lambda r: provider_visits.append(r.url) if r.url.startswith(staging.provider.issuer) else None
        )
        facilitator.goto(f"{staging.url}/scoringssessie")
        facilitator.get_by_label("Uw naam (begeleider)").fill("Bea")
        facilitator.get_by_role("button", name="Sessie openen").click()
        facilitator.wait_for_url(re.compile(r"code=[A-Z2-9]{6}"), timeout=30_000)
        code = re.search(r"code=([A-Z2-9]{6})", facilitator.url).group(1)
        session = store.session_by_code(code)

        # Four phones, two on each server, open the join link at once and join with a name, without signing in.
        servers = {"Anna": victim, "Bram": victim, "Cas": survivor, "Dewi": survivor}
        phones = {}
        for name, server in servers.items():
            context = context_on(browser, staging, server, **PHONE)
            contexts.append(context)
            phones[name] = context.new_page()
            phones[name].goto(f"{staging.url}/meedoen?code={code}", wait_until="commit")
        for name, page in phones.items():
            join(page, name)
            assert vote_until_saved(page, "opbouw", 3) == 1

        # Mid-vote: Anna's lock-in vote is confirmed, Cas taps his on the other server, and the server dies.
        assert vote_until_saved(phones["Anna"], "lock-in", 2) == 1
        radio(phones["Cas"], "lock-in", 4).click()
        staging.kill(victim)
        killed_at = time.monotonic()
        expect(phones["Cas"].get_by_text("Opgeslagen: score 4").first).to_be_visible(timeout=10_000)
        # Bram taps while his server is gone: it may take a second tap once his phone is on the other server.
        taps = {"Bram": vote_until_saved(phones["Bram"], "lock-in", 2)}
        taps["Dewi"] = vote_until_saved(phones["Dewi"], "lock-in", 4)
        taps["Anna"] = vote_until_saved(phones["Anna"], "afbouw", 4)
        for name, page in phones.items():  # every phone is the same participant as before, on the survivor
            expect(page.get_by_text(f"u doet mee als {name}")).to_be_visible()
            assert server_of(page.context, staging) == survivor
        failover_seconds = time.monotonic() - killed_at

        # The facilitator goes on on the other server, still signed in (the auth cookie is valid on both servers):
        # closes the round and shows the result, without the provider being asked again.
        click_until(facilitator, "Ronde sluiten", "De ronde is gesloten: nieuwe stemmen worden geweigerd.")
        expect(facilitator.get_by_text(f"Aangemeld als {USERS['begeleider']['name']} · begeleider")).to_be_visible()
        click_until(facilitator, "Uitslag tonen", "De uitslag staat op het gedeelde scherm.")
        expect(facilitator.get_by_text("Mediaan 3").first).to_be_visible(timeout=15_000)  # opbouw: 3, 3, 3, 3
        assert server_of(facilitator_context, staging) == survivor
        assert provider_visits == []

        # The record: four participants, every confirmed vote exactly once, nothing else.
        assert votes_by_name(store, session.session_id) == {
            "Anna": {"opbouw": 3, "lock_in": 2, "afbouw": 4},
            "Bram": {"opbouw": 3, "lock_in": 2},
            "Cas": {"opbouw": 3, "lock_in": 4},
            "Dewi": {"opbouw": 3, "lock_in": 4},
        }
        kinds = Counter(e["event_type"] for e in store.events(session.session_id))
        assert kinds == {
            "session_opened": 1,
            "participant_joined": 4,
            "vote_cast": 9,
            "round_closed": 1,
            "round_revealed": 1,
        }, kinds
        assert_log_and_state_agree(store, session.session_id)
        # Who did it: the signed-in begeleider, on both servers; never a participant's name.
        logged = [e for e in audit.entries(store, 200) if e.join_code == code]
        assert [(e.action, e.actor) for e in logged] == [
            ("round_revealed", USERS["begeleider"]["email"]),
            ("round_closed", USERS["begeleider"]["email"]),
            ("session_opened", USERS["begeleider"]["email"]),
        ]
        assert not any(name in str(entry) for entry in logged for name in servers)
        print(f"failover: taps {taps}, phones done {failover_seconds:.1f} s after the kill")
    finally:
        store.close()
        for context in contexts:
            context.close()
        staging.restart(victim)


API_SECRET = "het geheim van de test-API"  # 12+ characters: a weaker secret keeps the facilitator off


def test_a_postgresql_restart_mid_session_asks_to_try_again_and_half_writes_nothing(staging, browser):
    store = PostgresVoteStore(staging.postgres.url)
    # The test's own rules object over the same database; its API voters vote fast, so its limits are wide.
    wide = Limits(
        votes_per_minute_per_participant=100_000,
        votes_per_minute_per_client=100_000,
        votes_per_minute_per_session=100_000,
    )
    service = ScoringService(store, API_SECRET, limits=wide)
    session = service.open_session(API_SECRET, "Bea", 2027, [THEME], [THEME])
    phone_context = browser.new_context(**PHONE)
    try:
        phone = phone_context.new_page()
        phone.goto(f"{staging.url}/meedoen?code={session.join_code}")
        join(phone, "Eva")
        vote_until_saved(phone, "opbouw", 3)

        # Meanwhile three participants vote through the service API, over and over, across the outage.
        tokens = [joined(service, session.join_code, f"api-{i}")[1] for i in range(3)]
        stop, started = threading.Event(), threading.Event()
        saved: list[tuple[str, int, int]] = []  # (dynamic, score, event_id) of every vote the API confirmed
        refused: list[str] = []

        def vote_in_a_loop(token: str) -> None:
            n = 0
            while not stop.is_set():
                dynamic, score = ("opbouw", "institutionalisering", "lock_in", "afbouw")[n % 4], 1 + n % 5
                n += 1
                try:
                    vote = service.vote(session.join_code, token, THEME, dynamic, score, f"poging {n}")
                    saved.append((dynamic, score, vote.event_id))
                except TryAgain as error:
                    refused.append(str(error))
                started.set()
                time.sleep(0.02)

        # A second store that keeps an idle connection through the outage, unused: after the restart that
        # connection is dead, and the store must notice instead of failing the first vote.
        idle_store = PostgresVoteStore(staging.postgres.url)
        idle_store.snapshot(session.session_id)
        voters = [threading.Thread(target=vote_in_a_loop, args=(t,)) for t in tokens]
        for voter in voters:
            voter.start()
        started.wait(10)
        time.sleep(0.3)
        staging.postgres.go_down()
        try:
            before_restart = len(saved)
            ready = [staging.app(name).url for name in ("app1", "app2")]
            assert all(staging_ready(url) == 503 for url in ready), "the servers should say they are not ready"
            # Eva votes while the database is down: a Dutch sentence to try again, and nothing stored.
            radio(phone, "lock-in", 2).click()
            expect(phone.get_by_text("Probeer het over een paar seconden opnieuw.").first).to_be_visible(timeout=15_000)
            expect(phone.get_by_role("button", name="Opnieuw proberen")).to_be_visible()
            assert not phone.get_by_text("Opgeslagen: score 2").count()
            time.sleep(0.5)
            assert len(saved) == before_restart, "a vote was confirmed while the database was down"
        finally:
            staging.postgres.come_back()
        deadline = time.monotonic() + 15
        while len(saved) < before_restart + 6 and time.monotonic() < deadline:
            time.sleep(0.1)
        stop.set()
        for voter in voters:
            voter.join(10)
        assert refused and all("opnieuw" in message for message in refused)
        assert idle_store.snapshot(session.session_id).participant_count == 4  # first try, on a fresh connection
        idle_store.close()
        assert len(saved) >= before_restart + 6, "votes through the service did not succeed again after the restart"

        # Eva tries again: her page is back, and the same vote is now saved, once.
        phone.get_by_role("button", name="Opnieuw proberen").click()
        expect(phone.get_by_text("u doet mee als Eva")).to_be_visible(timeout=30_000)
        idle(phone)
        assert vote_until_saved(phone, "lock-in", 2) == 1
        assert votes_by_name(store, session.session_id)["Eva"] == {"opbouw": 3, "lock_in": 2}

        # Nothing half-written: the log and the current votes agree; every confirmed vote is in the log; at most
        # one vote per voter can have been committed while its answer was lost with the connection.
        assert_log_and_state_agree(store, session.session_id)
        logged = {
            (e["dynamic_code"], e["score"], e["event_id"])
            for e in store.events(session.session_id)
            if e["event_type"] in ("vote_cast", "vote_changed") and e["text"].startswith("poging")
        }
        assert set(saved) <= logged
        assert len(logged) - len(saved) <= len(voters)
        assert all(staging_ready(url) == 200 for url in ready)
    finally:
        phone_context.close()
        store.close()


def staging_ready(url: str) -> int:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(f"{url}/gereed", timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
