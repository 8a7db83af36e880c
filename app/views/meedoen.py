"""Meedoen — de telefoonpagina van een deelnemer: aanmelden met de sessiecode, dan per dynamiek een score 1–5.

Identity is a cookie the server set, never a URL: the join form gets a one-time claim from the server and sends
the browser to app/scoring/participant_cookie.py, which creates the participant, sets an HttpOnly cookie for this
session and comes back to `/meedoen?code=…`. A reload, or a reconnect to another app server, sends the cookie
again (the store is shared); someone who opens the same link on another device gets the join form.
"""

import streamlit as st

from app.scoring import display, runtime
from app.scoring.identity import normalise_join_code, one_line
from app.scoring.participant_cookie import NOTICE_EXPIRED, NOTICE_FAILED, NOTICE_FULL
from app.scoring.session import MAX_NAME, MAX_REASON, ScoringError, TryAgain
from app.text import escape
from warehouse.votes import Vote

NOTICES = {  # the claim route's outcome, by a fixed word in the URL: the URL's value itself is never shown
    NOTICE_EXPIRED: "Die aanmeldlink is al gebruikt of verlopen. Meld u hieronder opnieuw aan met de sessiecode.",
    NOTICE_FULL: "Deze sessie is vol: er kunnen geen deelnemers meer bij. Vraag de begeleider om hulp.",
    NOTICE_FAILED: "Aanmelden lukte niet door een storing. Probeer het zo opnieuw; blijft het misgaan, zeg het dan "
    "tegen de begeleider.",
}

# A phone screen holds one dynamic: nothing of the framework in the way (the sidebar's chevron, the header bar),
# the theme as one short line, the levels large enough to tap.
PHONE_STYLE = """<style>
[data-testid="stExpandSidebarButton"], header[data-testid="stHeader"] {display: none;}
.block-container {padding-top: 1rem !important;}
.tm-telefoon-thema {font-weight: 700; font-size: 1.05rem; margin: 0; white-space: nowrap; overflow: hidden;
  text-overflow: ellipsis;}
[class*="st-key-stem-"] [role="radiogroup"] label {padding: .35rem 0; align-items: flex-start;}
[class*="st-key-stem-"] [role="radiogroup"] label p {font-size: 1.05rem; font-weight: 700;}
[data-baseweb="tab-list"] button p {font-size: 1rem;}
</style>"""


def show_error(error: ScoringError | str) -> None:
    st.error(escape.text_markdown(str(error)))  # a message may repeat what someone typed: shown as text


service = runtime.service()
code = normalise_join_code(st.query_params.get(runtime.CODE_PARAM))
st.query_params.pop(runtime.OLD_TOKEN_PARAM, None)  # an old-style link: identity never comes from the URL
notice = NOTICES.get(st.query_params.pop(runtime.NOTICE_PARAM, None) or "")

if notice:
    st.warning(notice)

session = participant = None
token = runtime.participant_token(code) if code else None
if code:
    try:
        session, participant = service.identify(code, token)
    except ScoringError as err:
        show_error(err)
        if isinstance(err, TryAgain):  # the store is down for a moment: not a reason to join again
            st.button("Opnieuw proberen", type="primary", icon=":material/refresh:")
            st.stop()

if session is None or participant is None:
    st.title("Meedoen aan de scoringssessie", anchor=False)
    st.markdown(
        "Vul de sessiecode in die op het gedeelde scherm staat, en een naam of pseudoniem. Uw naam ziet alleen de "
        "begeleider in de lijst van deelnemers; scores en toelichtingen verschijnen altijd zonder naam."
    )
    with st.form("aanmelden"):
        typed_code = st.text_input("Sessiecode", value=code[:12], max_chars=12, placeholder="bijvoorbeeld K7QM4X")
        name = st.text_input("Uw naam of pseudoniem", max_chars=MAX_NAME)
        joined = st.form_submit_button("Meedoen", type="primary", width="stretch")
    if joined:
        try:
            _, claim = service.join(typed_code, name)
        except ScoringError as err:
            show_error(err)
        else:
            # On to the claim route, which sets this browser's cookie and comes back here; the link is the way
            # on where scripts do not run. The URL is ours (base URL and a URL-safe claim), and JSON-quoted.
            url = runtime.claim_url(claim)
            st.success("U bent aangemeld. Een moment: de stemronde wordt geopend.")
            st.link_button("Verder naar de stemronde", url, type="primary", width="stretch")
            target = escape.script_string(url)
            st.html(f"<script>window.location.replace({target});</script>", unsafe_allow_javascript=True)
    st.stop()

assert session is not None and participant is not None and token
if st.query_params.get(runtime.CODE_PARAM) != session.join_code:
    st.query_params[runtime.CODE_PARAM] = session.join_code

snapshot = service.snapshot(session.session_id)
names = display.theme_names()
reference = display.reference(session.measurement_year)
st.html(PHONE_STYLE)

theme_codes = list(session.theme_codes)
if len(theme_codes) > 1:  # one line on a phone, where buttons with four long theme names would fill the screen
    theme_key = f"meedoen-thema-{session.session_id}"
    if theme_key not in st.session_state:  # start at the first round that is still open
        st.session_state[theme_key] = next((t for t in theme_codes if snapshot.rounds[t].is_open), theme_codes[0])
    theme_code = st.selectbox(
        "Thema",
        theme_codes,
        format_func=lambda t: names.get(t, t) + ("" if snapshot.rounds[t].is_open else " (gesloten)"),
        key=theme_key,
    )
else:
    theme_code = theme_codes[0]
    theme_name = escape.text_html(names.get(theme_code, theme_code))
    st.html(f'<p class="tm-telefoon-thema" title="{theme_name}">{theme_name}</p>')
round_open = snapshot.rounds[theme_code].is_open
if round_open:
    st.caption("Stemronde open · uw keuze wordt meteen opgeslagen en blijft te wijzigen.")
else:
    st.warning("Deze stemronde is gesloten: stemmen of wijzigen kan niet meer.", icon=":material/lock:")


@st.fragment(run_every=3)
def follow_round(session_id: str, theme: str, was_open: bool) -> None:
    """Redraw the page when the facilitator closes or reopens this round, so the buttons match it."""
    try:
        now_open = service.snapshot(session_id).rounds[theme].is_open
    except ScoringError:
        return
    if now_open != was_open:
        st.rerun()


follow_round(session.session_id, theme_code, round_open)

own = service.own_votes(snapshot, participant)


def feedback_key(dynamic_code: str) -> str:
    return f"melding-{session.session_id}-{theme_code}-{dynamic_code}"


def save(dynamic_code: str, score_key: str, reason_key: str, stored: Vote | None) -> None:
    """on_change of the score or the reason: store the vote, or put the widgets back and say why not."""
    score = st.session_state.get(score_key)
    reason = st.session_state.get(reason_key) or ""
    if score is None:
        if stored is not None:  # a segmented control can be deselected; a vote cannot be withdrawn
            st.session_state[score_key] = stored.score
            st.session_state[feedback_key(dynamic_code)] = (
                "info",
                "Een stem intrekken kan niet; kies een andere score om hem te wijzigen.",
            )
        else:
            st.session_state[feedback_key(dynamic_code)] = (
                "info",
                "Kies eerst een score; uw toelichting wordt dan meegestuurd.",
            )
        return
    reason, cut_note = shortened(reason)
    if cut_note:
        st.session_state[reason_key] = reason  # the field shows what was kept, never an empty box
    try:
        vote = service.vote(session.join_code, token, theme_code, dynamic_code, score, reason)
    except ScoringError as err:
        st.session_state[score_key] = stored.score if stored else None
        st.session_state[feedback_key(dynamic_code)] = ("error", str(err))
    else:
        saved = f"Opgeslagen: score {vote.score}" + (" met toelichting." if vote.reason else ".")
        st.session_state[feedback_key(dynamic_code)] = ("warning" if cut_note else "success", saved + cut_note)


def shortened(reason: str) -> tuple[str, str]:
    """A pasted reason longer than MAX_REASON: its first MAX_REASON characters and a note saying so. (With
    max_chars on the field the browser dropped a too-long paste and left the field empty, without a word.)"""
    reason = one_line(reason)
    if len(reason) <= MAX_REASON:
        return reason, ""
    return reason[:MAX_REASON].rstrip(), (
        f" Uw toelichting was {len(reason)} tekens; alleen de eerste {MAX_REASON} zijn bewaard. Kijk of de kern erin "
        "staat en pas hem zo nodig aan."
    )


def dynamic_screen(dynamic: dict) -> None:
    """One dynamic: its direction and the last measurement's score, the five levels as the buttons (each with its
    rubric text, nothing to look up), the reason, and what was saved."""
    dynamic_code = dynamic["dynamic_code"]
    stored = own.get((theme_code, dynamic_code))
    score_key = f"stem-{session.session_id}-{theme_code}-{dynamic_code}"
    reason_key = f"reden-{session.session_id}-{theme_code}-{dynamic_code}"
    if score_key not in st.session_state:  # after a reload: the stored vote, not an empty choice
        st.session_state[score_key] = stored.score if stored else None
    if reason_key not in st.session_state:
        st.session_state[reason_key] = stored.reason if stored else ""
    st.caption(f"{dynamic['score_direction']} {reference.line(theme_code, dynamic_code)}.")
    st.radio(
        f"Uw score voor {dynamic['dynamic_name'].lower()}",
        [1, 2, 3, 4, 5],
        captions=[" · ".join(display.descriptors(dynamic_code, level)) for level in range(1, 6)],
        index=None,  # never a default level: a radio that lost its state must not vote 1 (save() puts it back)
        key=score_key,
        on_change=save,
        args=(dynamic_code, score_key, reason_key, stored),
        disabled=not round_open,
    )
    st.text_input(
        f"Korte toelichting bij {dynamic['dynamic_name'].lower()} (optioneel, één regel)",
        key=reason_key,  # no max_chars: a longer paste is shortened with a note (shortened), not dropped
        on_change=save,
        args=(dynamic_code, score_key, reason_key, stored),
        disabled=not round_open,
        placeholder=f"Waarom dit niveau? Hooguit {MAX_REASON} tekens, zonder naam zichtbaar na de onthulling.",
    )
    message = st.session_state.pop(feedback_key(dynamic_code), None)
    if message:
        kind, text = message
        if kind == "error":
            show_error(text)
        else:
            {"success": st.success, "info": st.info, "warning": st.warning}[kind](text)
    elif stored is not None:
        st.caption(f"Uw stem: {stored.score}" + (" (met toelichting)" if stored.reason else ""))


# One dynamic per screen, as tabs: switching is done in the browser, so it works at once and even while the
# server is away (a failover, a database restart). Fixed labels and a fixed first tab keep the tab a person is on
# across reruns: the first not voted on, chosen once per visit.
dynamics = display.dynamic_rows()
first_key = f"meedoen-eerste-{session.session_id}-{theme_code}"
if first_key not in st.session_state:
    st.session_state[first_key] = next(
        (d["dynamic_name"] for d in dynamics if (theme_code, d["dynamic_code"]) not in own), dynamics[0]["dynamic_name"]
    )
for tab, dynamic in zip(
    st.tabs([d["dynamic_name"] for d in dynamics], default=st.session_state[first_key]), dynamics, strict=True
):
    with tab:
        dynamic_screen(dynamic)
st.caption(
    f"Sessie {session.join_code} · meting {session.measurement_year} · u doet mee als "
    f"{escape.text_markdown(participant.display_name)} (alleen u en de begeleider zien die naam)"
)
