"""The test identity provider (tests/oidc/provider.js, the real npm package oidc-provider) does what the sign-in
tests and `make staging` rely on: a person signs in through its own login form in chromium, and the ID token
(what Streamlit's st.user is built from) carries e-mail, name and the role claims of tests/oidc/users.json.
Sign-out goes back to the registered post-logout URL and ends the provider's session.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import urllib.parse
import urllib.request

import pytest

from app.serve import free_port
from tests import oidc_server

pytest.importorskip("playwright.sync_api")


@pytest.fixture(scope="module")
def provider():
    if not oidc_server.installed():
        pytest.fail(oidc_server.MISSING)
    # Nothing listens at the app's URLs: the browser's visits there are intercepted and recorded.
    app = f"http://127.0.0.1:{free_port()}"
    client = oidc_server.Client("testapp", secrets.token_urlsafe(16), (f"{app}/callback",), (f"{app}/afgemeld",))
    provider = oidc_server.start(free_port(), [client])
    yield provider, client
    provider.stop()


def metadata(provider) -> dict:
    with urllib.request.urlopen(provider.metadata_url, timeout=5) as response:
        return json.load(response)


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def jwt_claims(token: str) -> dict:
    payload = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))


class Visits:
    """Records every browser visit to one URL prefix (the app's callback or sign-out page). Nothing listens there:
    the visit fails at once, and the URL it carried is what the test needs."""

    def __init__(self, context, prefix: str) -> None:
        self.urls: list[str] = []
        context.on("request", lambda request: self.urls.append(request.url) if request.url.startswith(prefix) else None)

    def wait(self, page, timeout: float = 15) -> list[str]:
        for _ in range(int(timeout / 0.05)):
            if self.urls:
                return self.urls
            page.wait_for_timeout(50)
        raise AssertionError("the browser never came back to the app")


def sign_in(context, provider, client, login: str) -> dict:
    """The authorization code flow with PKCE, as Streamlit's Authlib runs it; returns the token response."""
    meta = metadata(provider)
    verifier = secrets.token_urlsafe(48)
    state, nonce = secrets.token_urlsafe(12), secrets.token_urlsafe(12)
    query = {
        "client_id": client.client_id,
        "response_type": "code",
        "scope": oidc_server.SCOPES,
        "redirect_uri": client.redirect_uris[0],
        "state": state,
        "nonce": nonce,
        "prompt": "login",
        "code_challenge": b64url(hashlib.sha256(verifier.encode()).digest()),
        "code_challenge_method": "S256",
    }
    callbacks = Visits(context, client.redirect_uris[0])
    page = context.new_page()
    page.goto(f"{meta['authorization_endpoint']}?{urllib.parse.urlencode(query)}")
    page.fill("input[name=login]", login)
    page.fill("input[name=password]", "een-willekeurig-wachtwoord")
    page.click("button[type=submit]")
    callbacks.wait(page)
    page.close()
    assert len(callbacks.urls) == 1
    answer = dict(urllib.parse.parse_qsl(urllib.parse.urlsplit(callbacks.urls[0]).query))
    assert answer["state"] == state
    assert answer["iss"] == provider.issuer
    form = urllib.parse.urlencode(
        {
            "grant_type": "authorization_code",
            "code": answer["code"],
            "redirect_uri": client.redirect_uris[0],
            "code_verifier": verifier,
        }
    ).encode()
    request = urllib.request.Request(meta["token_endpoint"], data=form, method="POST")
    basic = base64.b64encode(f"{client.client_id}:{client.client_secret}".encode()).decode()
    request.add_header("Authorization", f"Basic {basic}")
    with urllib.request.urlopen(request, timeout=10) as response:
        tokens = json.load(response)
    assert jwt_claims(tokens["id_token"])["nonce"] == nonce
    return tokens


@pytest.mark.parametrize(
    ("role", "login"),
    [("lezer", "lezer"), ("analist", "analist@instelling.example"), ("begeleider", "begeleider")],
)
def test_each_role_signs_in_through_the_login_form_and_its_claims_are_in_the_id_token(browser, provider, role, login):
    provider, client = provider
    context = browser.new_context()
    try:
        claims = jwt_claims(sign_in(context, provider, client, login)["id_token"])
    finally:
        context.close()
    user = oidc_server.USERS[role]
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == client.client_id
    assert claims["sub"] == role
    assert claims["email"] == user["email"]
    assert claims["name"] == user["name"]
    assert claims["groups"] == user["groups"] == [f"transitiemonitor-{role}"]
    assert claims["eduperson_entitlement"] == user["eduperson_entitlement"]


def test_an_unknown_login_is_refused_on_the_form(browser, provider):
    provider, client = provider
    context = browser.new_context()
    try:
        callbacks = Visits(context, client.redirect_uris[0])
        page = context.new_page()
        query = {
            "client_id": client.client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": client.redirect_uris[0],
            "code_challenge": b64url(hashlib.sha256(b"y" * 43).digest()),
            "code_challenge_method": "S256",
        }
        page.goto(f"{metadata(provider)['authorization_endpoint']}?{urllib.parse.urlencode(query)}")
        page.fill("input[name=login]", "iemand@elders.example")
        page.fill("input[name=password]", "geheim")
        page.click("button[type=submit]")
        page.get_by_role("alert").wait_for(timeout=10_000)
        assert page.get_by_role("alert").inner_text() == "Onbekende gebruiker. Probeer het opnieuw."
        assert page.locator("input[name=login]").is_visible()
        assert callbacks.urls == []
    finally:
        context.close()


def test_sign_out_returns_to_the_registered_page_and_ends_the_providers_session(browser, provider):
    provider, client = provider
    context = browser.new_context()
    try:
        tokens = sign_in(context, provider, client, "begeleider")
        signed_out = Visits(context, client.post_logout_redirect_uris[0])
        page = context.new_page()
        query = {
            "id_token_hint": tokens["id_token"],
            "post_logout_redirect_uri": client.post_logout_redirect_uris[0],
            "client_id": client.client_id,
        }
        page.goto(f"{metadata(provider)['end_session_endpoint']}?{urllib.parse.urlencode(query)}")
        page.click("button[name=logout]")
        assert signed_out.wait(page)[0].startswith(client.post_logout_redirect_uris[0])

        # Without prompt=login, a provider that still had a session would send the browser straight back.
        query = {
            "client_id": client.client_id,
            "response_type": "code",
            "scope": "openid",
            "redirect_uri": client.redirect_uris[0],
            "code_challenge": b64url(hashlib.sha256(b"x" * 43).digest()),
            "code_challenge_method": "S256",
        }
        page = context.new_page()
        page.goto(f"{metadata(provider)['authorization_endpoint']}?{urllib.parse.urlencode(query)}")
        page.wait_for_selector("input[name=login]", timeout=10_000)
    finally:
        context.close()


def test_auth_secrets_are_the_streamlit_auth_section_for_this_provider(provider):
    import tomllib

    provider, client = provider
    auth = tomllib.loads(provider.auth_secrets(client, "x" * 32))["auth"]
    assert auth["server_metadata_url"] == provider.metadata_url
    assert auth["redirect_uri"] == client.redirect_uris[0]
    assert (auth["client_id"], auth["client_secret"]) == (client.client_id, client.client_secret)
    assert auth["client_kwargs"] == {"prompt": "login", "scope": oidc_server.SCOPES}
    assert metadata(provider)["issuer"] == provider.issuer
