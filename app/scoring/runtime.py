"""Glue between the session pages and the vote store: which store, which facilitator secret, which link.

One store object per location per server process (it holds PostgreSQL connections); the secret is read on
every run, so changing st.secrets takes effect without a restart of the store.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit

import streamlit as st

from app.scoring.session import ScoringService
from warehouse.votes import DEFAULT_SQLITE_PATH, VoteStore, open_store

SECRET_ENV = "TM_FACILITATOR_SECRET"
SECRET_KEY = "facilitator_secret"
TOKEN_PARAM = "deelnemer"  # the participant's token in their own page's URL
CODE_PARAM = "code"


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


def service() -> ScoringService:
    return ScoringService(store(), facilitator_secret())


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
