"""Meedoen — de telefoonpagina van een deelnemer: aanmelden met de sessiecode, dan per dynamiek een score 1–5.

Identity without cookies: joining gives this browser a random token that goes into this page's own URL
(`?code=…&deelnemer=…`) and into the session state. A reload or a dropped connection keeps the URL, so the
same participant comes back with their votes; the store keeps only a hash of the token.
"""

import streamlit as st

from app.scoring import display, runtime
from app.scoring.session import MAX_NAME, MAX_REASON, ScoringError, TryAgain, normalise_join_code
from warehouse.votes import Vote

TOKEN_STATE = "tm_deelnemer_token"

service = runtime.service()
code = normalise_join_code(st.query_params.get(runtime.CODE_PARAM))
token = st.query_params.get(runtime.TOKEN_PARAM) or st.session_state.get(TOKEN_STATE)

st.title("Meedoen aan de scoringssessie")

session = participant = None
if code:
    try:
        session, participant = service.identify(code, token)
    except ScoringError as err:
        st.error(str(err))
        if isinstance(err, TryAgain):  # the store is down for a moment: not a reason to join again
            st.button("Opnieuw proberen", type="primary", icon=":material/refresh:")
            st.stop()

if session is None or participant is None:
    st.markdown(
        "Vul de sessiecode in die op het gedeelde scherm staat, en een naam of pseudoniem. Uw naam ziet alleen de "
        "begeleider in de lijst van deelnemers; scores en toelichtingen verschijnen altijd zonder naam."
    )
    with st.form("aanmelden"):
        typed_code = st.text_input("Sessiecode", value=code, max_chars=12, placeholder="bijvoorbeeld K7QM4X")
        name = st.text_input("Uw naam of pseudoniem", max_chars=MAX_NAME)
        joined = st.form_submit_button("Meedoen", type="primary", width="stretch")
    if joined:
        try:
            participant, token = service.join(typed_code, name, token)
        except ScoringError as err:
            st.error(str(err))
        else:
            st.session_state[TOKEN_STATE] = token
            st.query_params[runtime.CODE_PARAM] = normalise_join_code(typed_code)
            st.query_params[runtime.TOKEN_PARAM] = token
            st.rerun()
    st.stop()

assert session is not None and participant is not None and token
st.session_state[TOKEN_STATE] = token
if st.query_params.get(runtime.TOKEN_PARAM) != token:  # back in the URL, so a reload finds this participant
    st.query_params[runtime.TOKEN_PARAM] = token
if st.query_params.get(runtime.CODE_PARAM) != session.join_code:
    st.query_params[runtime.CODE_PARAM] = session.join_code

snapshot = service.snapshot(session.session_id)
names = display.theme_names()
reference = display.reference(session.measurement_year)
st.caption(
    f"Sessie {session.join_code} · meting {session.measurement_year} · u doet mee als "
    f"{participant.display_name} (alleen u en de begeleider zien die naam)"
)

theme_codes = list(session.theme_codes)
if len(theme_codes) > 1:
    theme_key = f"meedoen-thema-{session.session_id}"
    if theme_key not in st.session_state:  # start at the first round that is still open
        st.session_state[theme_key] = next((t for t in theme_codes if snapshot.rounds[t].is_open), theme_codes[0])
    theme_code = (
        st.segmented_control(
            "Thema",
            theme_codes,
            format_func=lambda t: names.get(t, t) + ("" if snapshot.rounds[t].is_open else " (gesloten)"),
            key=theme_key,
        )
        or theme_codes[0]
    )
else:
    theme_code = theme_codes[0]
round_open = snapshot.rounds[theme_code].is_open

st.header(names.get(theme_code, theme_code))
if round_open:
    st.info(
        "De stemronde is open. Kies per dynamiek een score; hij wordt meteen opgeslagen. U kunt wijzigen tot de "
        "begeleider de ronde sluit.",
        icon=":material/how_to_vote:",
    )
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
    try:
        vote = service.vote(session.join_code, token, theme_code, dynamic_code, score, reason)
    except ScoringError as err:
        st.session_state[score_key] = stored.score if stored else None
        st.session_state[feedback_key(dynamic_code)] = ("error", str(err))
    else:
        saved = f"Opgeslagen: score {vote.score}" + (" met toelichting." if vote.reason else ".")
        st.session_state[feedback_key(dynamic_code)] = ("success", saved)


for dynamic in display.dynamic_rows():
    dynamic_code = dynamic["dynamic_code"]
    stored = own.get((theme_code, dynamic_code))
    score_key = f"stem-{session.session_id}-{theme_code}-{dynamic_code}"
    reason_key = f"reden-{session.session_id}-{theme_code}-{dynamic_code}"
    if score_key not in st.session_state:  # after a reload: the stored vote, not an empty choice
        st.session_state[score_key] = stored.score if stored else None
    if reason_key not in st.session_state:
        st.session_state[reason_key] = stored.reason if stored else ""

    with st.container(border=True):
        st.subheader(dynamic["dynamic_name"])
        st.caption(f"{dynamic['score_direction']} {reference.line(theme_code, dynamic_code)}.")
        chosen = st.segmented_control(
            f"Uw score voor {dynamic['dynamic_name'].lower()}",
            [1, 2, 3, 4, 5],
            key=score_key,
            on_change=save,
            args=(dynamic_code, score_key, reason_key, stored),
            disabled=not round_open,
            width="stretch",
        )
        if chosen is None:
            st.caption("Kies een niveau: hieronder ziet u dan wat het in de scoringstabel betekent.")
        else:
            st.markdown(f"**Niveau {chosen} in de scoringstabel**")
            st.markdown("\n".join(f"- {d}" for d in display.descriptors(dynamic_code, chosen)))
        st.text_input(
            f"Korte toelichting bij {dynamic['dynamic_name'].lower()} (optioneel, één regel)",
            key=reason_key,
            max_chars=MAX_REASON,
            on_change=save,
            args=(dynamic_code, score_key, reason_key, stored),
            disabled=not round_open,
            placeholder="Waarom dit niveau? Zonder naam zichtbaar na de onthulling.",
        )
        message = st.session_state.pop(feedback_key(dynamic_code), None)
        if message:
            kind, text = message
            {"success": st.success, "error": st.error, "info": st.info}[kind](text)
        elif stored is not None:
            st.caption(f"Uw stem: {stored.score}" + (" (met toelichting)" if stored.reason else ""))
