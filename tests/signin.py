"""Browsers on the staging topology (deploy/staging.py): signing in through the test identity provider's own login
form, and a browser context on a chosen app server. Shared by the sign-in, staging and meeting-fault tests.

A sign-in through the provider takes 2–5 s; tests that are about something else reuse the cookies of one real
sign-in per role (`SignedIn.state`), as a second tab of the same browser would.
"""

from __future__ import annotations

from playwright.sync_api import expect

SERVER_HEADER = "x-transitiemonitor-server"
AUTH_COOKIES = ("_streamlit_user", "_streamlit_user_tokens")
PASSWORD = "een-willekeurig-wachtwoord"  # the test provider accepts any password for its test users


def idle(page, timeout: float = 30_000) -> None:
    """Streamlit has finished running the page (its 'running' indicator is gone)."""
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)


def server_of(context, staging) -> str:
    """Which app server nginx sends this browser to (its route cookie decides)."""
    response = context.request.get(f"{staging.url}/gezond")
    assert response.ok
    return response.headers[SERVER_HEADER]


def context_on(browser, staging, server: str, **options):
    """A new browser context (its own route cookie) that nginx sends to `server`. Which server a new cookie hashes
    to is chance, so contexts are made until one lands there (1 in 2^20 to need more than 20)."""
    for _ in range(40):
        context = browser.new_context(**options)
        if server_of(context, staging) == server:
            return context
        context.close()
    raise AssertionError(f"no new browser landed on {server}: the route cookie does not spread browsers")


def sign_in(page, staging, login: str) -> None:
    """Through the front door: the app's sign-in page, 'Aanmelden', the provider's login form, back in the app."""
    page.goto(staging.url)
    page.get_by_role("button", name="Aanmelden").click()
    page.wait_for_selector("input[name=login]", timeout=30_000)
    assert page.url.startswith(staging.provider.issuer), page.url  # the provider's own page, not ours
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    expect(page.locator("h1")).to_have_text("Staat van transitie", timeout=30_000)
    idle(page)


def auth_state(context) -> dict:
    """The context's Streamlit auth cookies only (no route cookie: a new context picks its own server)."""
    return {"cookies": [c for c in context.cookies() if c["name"] in AUTH_COOKIES], "origins": []}


class SignedIn:
    """One real sign-in per role for the whole test session, kept as cookies for new browser contexts."""

    def __init__(self, staging, browser) -> None:
        self.staging = staging
        self.browser = browser
        self._states: dict[str, dict] = {}

    def remember(self, role: str, context) -> None:
        self._states[role] = auth_state(context)

    def state(self, role: str) -> dict:
        if role not in self._states:
            context = self.browser.new_context()
            try:
                sign_in(context.new_page(), self.staging, role)
                self.remember(role, context)
            finally:
                context.close()
        return self._states[role]
