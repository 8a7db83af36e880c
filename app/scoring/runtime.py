"""Glue between the session pages and the vote store: which store, which facilitator secret, which client,
which link, which cookie.

One store object per location per server process (it holds PostgreSQL connections); the secret is read on
every run, so changing st.secrets takes effect without a restart of the store.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from urllib.parse import urlsplit

import streamlit as st

from app.scoring.identity import JOIN_CODE_ALPHABET, JOIN_CODE_LENGTH
from app.scoring.limits import Limits
from app.scoring.session import ScoringService
from warehouse.votes import DEFAULT_SQLITE_PATH, VoteStore, open_store

SECRET_ENV = "TM_FACILITATOR_SECRET"
SECRET_KEY = "facilitator_secret"
CODE_PARAM = "code"
OLD_TOKEN_PARAM = "deelnemer"  # where links once carried the token: ignored and removed, identity is a cookie now
NOTICE_PARAM = "melding"  # set by the claim route; only the known values below are shown, never the value itself
CLAIM_PATH = "/meedoen/aanmelden"
CLAIM_PARAM = "sleutel"
COOKIE_PREFIX = "tm_deelnemer_"
_CODE = re.compile(f"[{JOIN_CODE_ALPHABET}]{{{JOIN_CODE_LENGTH}}}")


def _close(store: VoteStore) -> None:
    store.close()


@st.cache_resource(show_spinner=False, on_release=_close)
def _store(url: str, path: str) -> VoteStore:
    return open_store(url=url, path=path)


def store() -> VoteStore:
    url = os.environ.get("TM_VOTES_URL", "").strip()
    path = os.environ.get("TM_VOTES_PATH", "").strip() or str(DEFAULT_SQLITE_PATH)
    return _store(url, path if not url else "")


def facilitator_secret() -> str | None:
    """TM_FACILITATOR_SECRET, else st.secrets['facilitator_secret'], else None (facilitator controls off)."""
    secret = os.environ.get(SECRET_ENV, "")
    if not secret:
        try:
            secret = str(st.secrets.get(SECRET_KEY, "") or "")
        except Exception:  # no secrets.toml at all: Streamlit raises rather than returning empty
            secret = ""
    return secret or None


def client_address() -> str | None:
    """The address this browser connects from (None on loopback: Streamlit does not say)."""
    try:
        address = st.context.ip_address
    except Exception:
        return None
    return address if isinstance(address, str) else None  # only ever a string from a real connection


def service() -> ScoringService:
    return ScoringService(store(), facilitator_secret(), client=client_address(), limits=Limits.from_env())


def cookie_name(join_code: str) -> str | None:
    """One participant cookie per session; None for anything that is not one of our join codes."""
    return COOKIE_PREFIX + join_code if _CODE.fullmatch(join_code or "") else None


def request_cookies() -> Mapping[str, str]:
    """The cookies this browser sent when it opened the page (HttpOnly ones included)."""
    try:
        return st.context.cookies
    except Exception:
        return {}


def participant_token(join_code: str) -> str | None:
    """This browser's token for the session, from its cookie (never from the URL)."""
    name = cookie_name(join_code)
    token = request_cookies().get(name) if name else None
    return token if isinstance(token, str) else None


def app_base_url() -> str:
    """Where participants reach this app: TM_PUBLIC_URL if set (behind a proxy), else what the browser used."""
    configured = os.environ.get("TM_PUBLIC_URL", "").strip().rstrip("/")
    if configured:
        return configured
    try:
        url = st.context.url or ""
    except Exception:
        url = ""
    parts = urlsplit(url)
    if parts.scheme in ("http", "https") and parts.netloc:
        prefix = parts.path.rsplit("/", 1)[0]  # keeps a base path if Streamlit is served under one
        return f"{parts.scheme}://{parts.netloc}{prefix}"
    return "http://localhost:8501"


def join_url(join_code: str) -> str:
    # The join code comes from our own alphabet: nothing a user typed goes into this link or its QR code.
    return f"{app_base_url()}/meedoen?{CODE_PARAM}={join_code}"


def claim_url(claim: str) -> str:
    """Where the browser redeems its join for the participant cookie (app/scoring/participant_cookie.py). The
    claim is ours (URL-safe base64) and works once."""
    return f"{app_base_url()}{CLAIM_PATH}?{CLAIM_PARAM}={claim}"
