"""Sign-in and roles on screen: Streamlit's own st.login / st.user / st.logout, and the rules of app/roles.py.

Sign-in is on when secrets.toml has an `[auth]` section (OpenID Connect; SURFconext in production, see
docs/hosting.md); without one the dashboard is open, as on a laptop with `make run`. When it is on:
- a visitor who is not signed in sees only the sign-in page, except on Meedoen (phones join with a code);
- a signed-in person gets the highest role config/roles.toml grants them, or none (a sentence and Afmelden);
- a page their role may not use is missing from the navigation and refuses by URL with a sentence;
- the begeleider role is what the shared facilitator secret is without sign-in (the secret is then unused).
Everything about who someone is comes from st.user, which Streamlit fills from its signed cookie only.
"""

from __future__ import annotations

import contextlib
import functools
import logging
import secrets
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from app import roles
from app.audit import NOT_SIGNED_IN, Actor, AuditedService
from app.scoring import runtime
from app.scoring.session import ScoringService
from app.text.escape import text_markdown

log = logging.getLogger("transitiemonitor")

# What the router does with a page: show it, or one of the gates instead.
ALLOWED, SIGN_IN, EXPIRED, NO_ROLE, MISCONFIGURED, REFUSED = (
    "toegestaan",
    "aanmelden",
    "verlopen",
    "geen rol",
    "rollen onleesbaar",
    "geweigerd",
)
# Gates shown instead of the whole app (no sidebar); REFUSED is shown inside it, with the navigation.
WHOLE_PAGE_GATES = (SIGN_IN, EXPIRED, NO_ROLE, MISCONFIGURED)

# This process's stand-in for the facilitator secret once sign-in is on: it never leaves the server, and only a
# page run of a signed-in begeleider hands it to the scoring rules.
_FACILITATOR_KEY = secrets.token_urlsafe(32)


@dataclass(frozen=True)
class Visitor:
    """Who is looking, in sign-in mode. `role` None: signed out, no role, or an expired sign-in."""

    signed_in: bool
    name: str = ""
    email: str = ""
    role: str | None = None
    expired: bool = False


def sign_in_configured() -> bool:
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 - no secrets.toml at all: Streamlit raises rather than answering no
        return False


@functools.lru_cache(maxsize=4)
def _roles_for_version(path: str, _mtime_ns: int) -> roles.RolesConfig:
    return roles.load_roles(Path(path))


def roles_config() -> roles.RolesConfig:
    """The roles file, read again when it changes (no restart needed to give someone a role)."""
    path = roles.roles_file()
    try:
        version = path.stat().st_mtime_ns
    except OSError:
        version = -1
    return _roles_for_version(str(path), version)


def visitor() -> Visitor | None:
    """None in the open local mode; else who is signed in (or not) and with which role."""
    if not sign_in_configured():
        return None
    if not st.user.is_logged_in:
        return Visitor(signed_in=False)
    claims = st.user.to_dict()
    email = str(claims.get("email") or "")
    name = str(claims.get("name") or email or claims.get("sub") or "")
    config = roles_config()
    if roles.sign_in_expired(claims, config):
        return Visitor(True, name, email, None, expired=True)
    return Visitor(True, name, email, roles.resolve_role(claims, config))


def decision(page: str) -> str:
    """What the router does with this page for this visitor: ALLOWED or which gate."""
    try:
        who = visitor()
    except roles.RolesFileError as error:
        log.error("Rollenbestand: %s", error)
        return ALLOWED if page in roles.OPEN_PAGES else MISCONFIGURED
    if who is None or page in roles.OPEN_PAGES:
        return ALLOWED
    if not who.signed_in:
        return SIGN_IN
    if who.expired:
        return EXPIRED
    if who.role is None:
        return NO_ROLE
    return ALLOWED if roles.may_use_page(who.role, page) else REFUSED


def may_open(page: str) -> bool:
    """For the navigation: only the pages this visitor can use."""
    return decision(page) == ALLOWED


def may_facilitate() -> bool:
    """Open mode: the facilitator secret decides (on the page). Sign-in mode: the begeleider role."""
    try:
        who = visitor()
    except roles.RolesFileError:
        return False
    return who is not None and roles.may_facilitate(who.role)


def actor() -> Actor:
    try:
        who = visitor()
    except roles.RolesFileError:
        who = None
    if who is None or not who.signed_in:
        return Actor()
    return Actor(who.email or who.name or NOT_SIGNED_IN, who.role or "-")


# --- The scoring session's facilitator ---------------------------------------------------------------------------


def scoring_service() -> AuditedService:
    """The scoring rules for this page run, with the facilitator's actions audited. With sign-in on, the
    facilitator credential is this process's own key (see grant_facilitator), never a shared secret."""
    service = ScoringService(runtime.store(), _FACILITATOR_KEY) if sign_in_configured() else runtime.service()
    return AuditedService(service, actor())


def grant_facilitator(state_key: str) -> None:
    """Sign-in mode: put the facilitator credential in this browser session's state for a begeleider (each run,
    so a new session on another server gets it again from the sign-in) and take it away from anyone else."""
    if not sign_in_configured():
        return
    if may_facilitate():
        st.session_state[state_key] = _FACILITATOR_KEY
    else:
        st.session_state.pop(state_key, None)


# --- On screen --------------------------------------------------------------------------------------------------


def _sign_in_button(label: str) -> None:
    if st.button(label, type="primary", icon=":material/login:", key="tm-aanmelden"):
        try:
            st.login()
        except Exception:  # noqa: BLE001 - Streamlit's own (English) configuration errors: a sentence instead
            log.error("Aanmelden niet mogelijk", exc_info=True)
            st.error("Aanmelden lukt nu niet: de aanmelding is niet goed ingesteld. Meld dit aan de beheerder.")


def _sign_out_button() -> None:
    if st.button("Afmelden", icon=":material/logout:", key="tm-afmelden"):
        st.logout()


def show_gate(verdict: str) -> None:
    """The whole page for a visitor who may not see the dashboard yet; stops the run."""
    who = None
    with contextlib.suppress(roles.RolesFileError):
        who = visitor()
    st.title("Transitiemonitor")
    if verdict == SIGN_IN:
        st.markdown(
            "Het dashboard over de transitie van het Nederlandse vervolgonderwijs. Meld u aan met het account van "
            "uw instelling (via SURFconext) om het te bekijken."
        )
        _sign_in_button("Aanmelden")
        st.caption(
            "Doet u mee aan een scoringssessie? Daarvoor hoeft u zich niet aan te melden: open de link of QR-code "
            "op het gedeelde scherm, of ga naar Meedoen en vul de sessiecode in."
        )
        st.page_link("views/meedoen.py", label="Meedoen aan een scoringssessie", icon=":material/how_to_vote:")
    elif verdict == EXPIRED:
        hours = roles_config().valid_hours
        st.warning(
            f"Uw aanmelding is verlopen: ze geldt {hours:g} uur. Meld u opnieuw aan om verder te gaan.",
            icon=":material/schedule:",
        )
        _sign_in_button("Opnieuw aanmelden")
        _sign_out_button()
    elif verdict == NO_ROLE:
        shown = text_markdown(who.name if who else "")
        email = f" ({text_markdown(who.email)})" if who and who.email and who.email != who.name else ""
        st.warning(
            f"U bent aangemeld als {shown}{email}, maar u heeft geen toegang tot de Transitiemonitor. Vraag de "
            "beheerder van het dashboard om toegang als u die nodig heeft.",
            icon=":material/block:",
        )
        _sign_out_button()
    else:
        st.error(
            "Het dashboard kan nu niemand toelaten: het rollenbestand is niet leesbaar of klopt niet. De beheerder "
            "vindt de reden in het logboek van de server.",
            icon=":material/error:",
        )
        _sign_out_button()
    st.stop()


def show_refusal(page_title: str) -> None:
    """A page the signed-in person's role may not use, reached by URL; stops the run."""
    who = visitor()
    role = roles.ROLE_TITLES.get(who.role or "", "") if who else ""
    st.title(page_title)
    st.warning(
        f"Deze pagina is er niet voor uw rol ({role}). Kies een andere pagina in de zijbalk, of vraag de beheerder "
        "om een andere rol als u deze pagina nodig heeft.",
        icon=":material/block:",
    )
    st.stop()


def sidebar_identity() -> None:
    """In the sidebar, in sign-in mode: who is signed in, with which role, and Afmelden (or Aanmelden)."""
    try:
        who = visitor()
    except roles.RolesFileError:
        return
    if who is None:
        return
    if not who.signed_in:
        st.caption("Niet aangemeld.")
        _sign_in_button("Aanmelden")
        return
    role = roles.ROLE_TITLES.get(who.role or "", "geen rol")
    st.markdown(f"Aangemeld als **{text_markdown(who.name)}** · {role}")
    _sign_out_button()
