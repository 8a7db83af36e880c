"""Sign-in in a real browser on the staging topology (nginx, two app servers, PostgreSQL), through the real test
identity provider (tests/oidc: the npm package oidc-provider) and its own login form — never a mock.

Each role signs in and sees exactly its pages, in the navigation and by URL; someone without a role gets a
sentence and signs out through the provider; a signed-out browser sees the Dutch sign-in page, except on Meedoen;
and Streamlit's auth cookie is refused when forged, tampered with or too old. (The role rules themselves, per
page and per claim, are tests/test_access.py.)
"""

from __future__ import annotations

import json
import time

import pytest

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

from itsdangerous import TimestampSigner, URLSafeTimedSerializer  # noqa: E402

from app.roles import load_roles  # noqa: E402
from tests.oidc_server import USERS  # noqa: E402
from tests.signin import idle, sign_in  # noqa: E402

USER_COOKIE = "_streamlit_user"
BASE_PAGES = ["Overzicht", "Thema", "Voorbeelden", "Zoeken", "Voortgang", "Methode"]
NAVIGATION = {
    "lezer": [*BASE_PAGES, "Scoringssessie", "Meedoen"],
    "analist": [*BASE_PAGES, "SQL", "Scoringssessie", "Meedoen"],
    "begeleider": [*BASE_PAGES, "SQL", "Scoringssessie", "Meedoen", "Logboek"],
}
REFUSED_BY_URL = {"lezer": {"sql": "SQL", "logboek": "Logboek"}, "analist": {"logboek": "Logboek"}, "begeleider": {}}


def navigation(page, expected: list[str] | None = None) -> list[str]:
    """The sidebar's page links; with `expected`, once they are that list (a rerun may still be drawing the sidebar:
    on a busy machine a read came back with some links not yet there) or after 30 s."""

    def read() -> list[str]:
        links = page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').all_inner_texts()
        return [text.strip() for text in links if "Presentatiemodus" not in text]

    deadline = time.monotonic() + 30
    while (shown := read()) != expected and expected is not None and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    return shown


def expect_sign_in_page(page) -> None:
    expect(page.locator("h1")).to_have_text("Transitiemonitor", timeout=30_000)
    expect(page.get_by_text("Meld u aan met het account van uw instelling")).to_be_visible()
    expect(page.get_by_role("button", name="Aanmelden")).to_be_visible()
    idle(page)
    assert not page.locator('[data-testid="stSidebar"] [data-testid="stPageLink"]').count()


def test_a_signed_out_browser_sees_the_dutch_sign_in_page_and_phones_join_without_it(staging, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        for path in ("", "/sql"):
            page.goto(staging.url + path)
            expect_sign_in_page(page)
            assert page.locator("html").get_attribute("lang") == "nl"
            assert not page.get_by_text("Staat van transitie").count() and not page.get_by_label("SQL").count()
        page.goto(f"{staging.url}/meedoen?code=ABCDEF")
        expect(page.locator("h1")).to_have_text("Meedoen aan de scoringssessie", timeout=30_000)
        expect(page.get_by_label("Sessiecode")).to_have_value("ABCDEF")
        expect(page.get_by_text("Er is geen sessie met de code 'ABCDEF'")).to_be_visible()  # the store was asked
        assert navigation(page, ["Meedoen"]) == ["Meedoen"]
    finally:
        context.close()


@pytest.mark.parametrize("role", ["lezer", "analist", "begeleider"])
def test_each_role_signs_in_through_the_provider_and_sees_exactly_its_pages(staging, browser, signed_in, role):
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    try:
        page = context.new_page()
        sign_in(page, staging, role)
        signed_in.remember(role, context)
        sidebar = page.locator('[data-testid="stSidebar"]')
        expect(sidebar.get_by_text(f"Aangemeld als {USERS[role]['name']} · {role}")).to_be_visible()
        expect(sidebar.get_by_role("button", name="Afmelden")).to_be_visible()
        assert navigation(page, NAVIGATION[role]) == NAVIGATION[role]

        for path, title in REFUSED_BY_URL[role].items():
            page.goto(f"{staging.url}/{path}")
            expect(page.get_by_text(f"Deze pagina is er niet voor uw rol ({role})")).to_be_visible(timeout=30_000)
            expect(page.locator("h1")).to_have_text(title)
            idle(page)
            assert not page.get_by_role("button", name="Uitvoeren").count()  # nothing of the page itself

        if role != "analist":  # the facilitator's controls: the begeleider's only (all roles: tests/test_access.py)
            page.goto(f"{staging.url}/scoringssessie")
            expect(page.locator("h1")).to_have_text("Scoringssessie", timeout=30_000)
            idle(page)
            assert not page.get_by_label("Begeleidersgeheim").count()  # the role replaces the shared secret
            expect(page.get_by_text("Nieuwe sessie openen")).to_have_count(1 if role == "begeleider" else 0)

        if role == "analist":  # the SQL page itself (its queries go into the audit log: tests/test_access.py)
            page.goto(f"{staging.url}/sql")
            expect(page.get_by_role("button", name="Uitvoeren")).to_be_visible(timeout=30_000)
        if role == "begeleider":
            page.goto(f"{staging.url}/logboek")
            expect(page.locator("h1")).to_have_text("Logboek", timeout=30_000)
            expect(page.get_by_text("Deelnemers staan hier nooit in")).to_be_visible()
    finally:
        context.close()


def test_someone_without_a_role_gets_a_sentence_and_signs_out_through_the_provider(staging, browser):
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(staging.url)
        page.get_by_role("button", name="Aanmelden").click()
        page.fill("input[name=login]", "gast")
        page.fill("input[name=password]", "x")
        page.click("button[type=submit]")
        expect(page.get_by_text("maar u heeft geen toegang tot de Transitiemonitor")).to_be_visible(timeout=30_000)
        expect(page.get_by_text(USERS["gast"]["name"], exact=False)).to_be_visible()
        assert not page.locator('[data-testid="stPageLink"]').count()

        page.get_by_role("button", name="Afmelden").click()
        page.get_by_role("button", name="Ja, afmelden").click(timeout=30_000)  # the provider ends its session too
        expect_sign_in_page(page)
        assert not [c for c in context.cookies() if c["name"] == USER_COOKIE]
        # Signing in again asks for the login again (prompt=login): no silent return as the previous person.
        page.get_by_role("button", name="Aanmelden").click()
        page.wait_for_selector("input[name=login]", timeout=30_000)
    finally:
        context.close()


def _cookie(secret: str, payload: dict, age_seconds: int = 0) -> str:
    """Streamlit's auth cookie as Streamlit signs it (itsdangerous, salted with the cookie name), `age_seconds`
    old."""

    class Aged(TimestampSigner):
        def get_timestamp(self) -> int:
            return int(time.time()) - age_seconds

    return URLSafeTimedSerializer(secret, salt=USER_COOKIE, signer=Aged).dumps(json.dumps(payload))


def test_a_forged_tampered_or_too_old_auth_cookie_is_refused(staging, browser, signed_in):
    (real,) = [c for c in signed_in.state("lezer")["cookies"] if c["name"] == USER_COOKIE]
    secret = staging.cookie_secret
    lezer = json.loads(URLSafeTimedSerializer(secret, salt=USER_COOKIE).loads(real["value"]))
    assert lezer["email"] == USERS["lezer"]["email"] and lezer["is_logged_in"]
    promoted = {**lezer, "groups": USERS["begeleider"]["groups"], "email": USERS["begeleider"]["email"]}
    payload, timestamp, signature = real["value"].rsplit(".", 2)
    tampered_payload = _cookie(secret, promoted).rsplit(".", 2)[0]
    valid_hours = load_roles().valid_hours
    cookies = {
        # The lezer's own cookie with the begeleider's claims put in, its signature kept.
        "tampered": f"{tampered_payload}.{timestamp}.{signature}",
        # The begeleider's claims signed with a key that is not the servers' cookie_secret.
        "forged": _cookie("niet-het-geheim-van-de-servers-" + "x" * 32, promoted),
        # Signed with the right key 32 days ago: Streamlit's own limit is 30 days (+1).
        "too old for Streamlit": _cookie(secret, promoted, age_seconds=32 * 86400),
        # Signed with the right key just now, but the sign-in itself (iat) is older than config/roles.toml allows.
        "sign-in expired": _cookie(secret, {**promoted, "iat": int(time.time() - valid_hours * 3600 - 60)}),
        # The control: right key, fresh: accepted. So the refusals above are for the key and the times only.
        "valid": _cookie(secret, promoted),
    }
    context = browser.new_context()
    try:
        page = context.new_page()
        for what, value in cookies.items():
            context.clear_cookies()
            context.add_cookies([{"name": USER_COOKIE, "value": value, "url": staging.url, "httpOnly": True}])
            page.goto(f"{staging.url}/logboek")
            if what == "valid":
                expect(page.locator("h1")).to_have_text("Logboek", timeout=30_000)
                expect(page.get_by_text(f"Aangemeld als {USERS['lezer']['name']} · begeleider")).to_be_visible()
            elif what == "sign-in expired":
                expect(page.get_by_text("Uw aanmelding is verlopen")).to_be_visible(timeout=30_000)
                expect(page.get_by_role("button", name="Opnieuw aanmelden")).to_be_visible()
            else:
                expect_sign_in_page(page)
            assert (page.locator("h1").inner_text() == "Logboek") == (what == "valid"), what
    finally:
        context.close()
