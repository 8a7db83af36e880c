"""Scoringssessie — de begeleider opent een sessie en leidt de stemrondes; het gedeelde scherm toont de stemmen.

One page, two uses: on the facilitator's laptop (with the facilitator secret) the controls and the live
results; on the beamer the same page in presentation mode (`weergave=presentatie`), which shows only the
shared screen in large type. The secret is typed in a password field and kept in this browser session's
state, never in the URL.
"""

import io

import streamlit as st

from app import access, data
from app.scoring import display, figures, runtime
from app.scoring.identity import normalise_join_code
from app.scoring.session import MAX_NAME, MAX_NOTE, ScoringError
from app.scoring.summary import summarise
from app.text import escape
from app.ui import filtering, focus, layout

SECRET_STATE = "tm_begeleider_geheim"
MESSAGE_STATE = "tm_sessie_melding"
ROUND_PARAM = "ronde"
ROUND_BUTTON = "ronde-sluiten-heropenen"  # the round's middle button, whichever it is: the focus after a round action
SCREEN_REFRESH_SECONDS = 0.5  # vote → count on the beamer, and the facilitator's move → the beamer: under 1 s
RECORD_REFRESH_SECONDS = 1  # the facilitator's list of participants and the session log

filters = filtering.current_filters()
service = access.scoring_service()  # with sign-in on, the begeleider role is the facilitator credential
presenting = filters.presentation
names = display.theme_names()
dynamics = display.dynamic_rows()
st.html(display.CSS + (display.PRESENTATION_CSS if presenting else ""))


def facilitator_secret() -> str | None:
    """The secret this browser session signed in with, if it is (still) the configured one. The server kept it
    after a throttled check_secret; comparing it again is no guess and is not throttled."""
    kept = st.session_state.get(SECRET_STATE)
    if not kept:
        return None
    if not service.is_signed_in(kept):
        st.session_state.pop(SECRET_STATE, None)
        return None
    return kept


def show_error(error: ScoringError | str) -> None:
    st.error(escape.text_markdown(str(error)))  # a message may repeat what someone typed: shown as text


def show_message(key: str = MESSAGE_STATE) -> None:
    message = st.session_state.pop(key, None)
    if message:
        kind, text = message
        if kind == "error":
            show_error(text)
        else:
            {"success": st.success, "info": st.info}[kind](text)


access.grant_facilitator(SECRET_STATE)
secret = facilitator_secret()
code = normalise_join_code(st.query_params.get(runtime.CODE_PARAM))
session = None
if code:
    try:
        session = service.find_session(code)
    except ScoringError as err:
        show_error(err)

# --- The facilitator's side (never on the beamer) ---------------------------------------------------------

if not presenting:
    st.title("Scoringssessie")
    st.caption(
        "Het koersteam scoort samen een eerste, indicatieve score: ieder stemt op de eigen telefoon, het gedeelde "
        "scherm toont eerst alleen hoeveel stemmen er zijn en na de onthulling de verdeling. De experts van Risbo "
        "en DRIFT stellen daarna de scores vast. Elke stem wordt bewaard."
    )
    if not service.facilitator_enabled:
        st.info(service.disabled_message, icon=":material/key_off:")
    elif secret is None and access.sign_in_configured():
        st.caption("Sessies openen en leiden kan met de rol begeleider. Met een code toont u het gedeelde scherm.")
    elif secret is None:
        with st.form("begeleider-aanmelden"):
            typed = st.text_input(
                "Begeleidersgeheim", type="password", help="Staat niet in de link en wordt niet opgeslagen."
            )
            if st.form_submit_button("Aanmelden als begeleider"):
                try:
                    service.check_secret(typed)
                except ScoringError as err:
                    show_error(err)
                else:
                    st.session_state[SECRET_STATE] = typed
                    st.rerun()
    else:
        signed_in, sign_out = st.columns([5, 1], vertical_alignment="center")
        signed_in.success("U bent aangemeld als begeleider.", icon=":material/key:")
        if not access.sign_in_configured() and sign_out.button("Afmelden"):
            st.session_state.pop(SECRET_STATE, None)
            st.rerun()
        with st.expander("Nieuwe sessie openen", expanded=session is None):
            latest = int(data.measurements()["measurement_year"].max())
            with st.form("nieuwe-sessie"):
                facilitator = st.text_input("Uw naam (begeleider)", max_chars=MAX_NAME)
                year = st.number_input(
                    "Meetmoment (jaar van het veldwerk)", min_value=2000, max_value=2100, value=latest + 1, step=1
                )
                themes = st.multiselect("Thema's", list(names), default=list(names)[:1], format_func=names.get)
                if st.form_submit_button("Sessie openen", type="primary"):
                    try:
                        opened = service.open_session(secret, facilitator, int(year), themes, list(names))
                    except ScoringError as err:
                        show_error(err)
                    else:
                        st.query_params[runtime.CODE_PARAM] = opened.join_code
                        st.query_params.pop(ROUND_PARAM, None)
                        st.rerun()
        recent = [s for s in service.store.recent_sessions(6) if session is None or s.session_id != session.session_id]
        if recent:
            with st.expander("Eerdere sessies"):
                for earlier in recent:
                    themes_text = ", ".join(names.get(t, t) for t in earlier.theme_codes)
                    opened_text = earlier.opened_at[:16].replace("T", " ")
                    st.page_link(
                        layout.PAGES["scoringssessie"],
                        label=f"{earlier.join_code} · meting {earlier.measurement_year} · {themes_text} · "
                        f"geopend {opened_text} UTC",
                        query_params={runtime.CODE_PARAM: earlier.join_code},
                    )
    if session is None and secret is None:
        typed_code = st.text_input("Sessiecode (om het gedeelde scherm van een sessie te tonen)", max_chars=12)
        if typed_code:
            st.query_params[runtime.CODE_PARAM] = normalise_join_code(typed_code)
            st.rerun()

if session is None:
    if presenting:
        st.title("Scoringssessie")
        st.info("Er is geen sessie gekozen. Open de sessie eerst zonder presentatiemodus.")
    st.stop()

theme_codes = list(session.theme_codes)
theme_code = filtering.url_value(ROUND_PARAM, theme_codes, theme_codes[0])
leading = secret is not None and not presenting  # the facilitator leads; every other screen follows the store


def choose_round() -> None:
    """on_change of the round: into the URL (reload, back button) and into the store, which the beamer reads."""
    filtering.write_url(ROUND_PARAM, theme_codes[0])
    chosen = st.session_state.get(ROUND_PARAM)
    if chosen in theme_codes:
        try:
            service.show_theme(st.session_state.get(SECRET_STATE), session.session_id, chosen)
        except ScoringError as err:
            st.session_state[MESSAGE_STATE] = ("error", str(err))


if leading and len(theme_codes) > 1:
    st.segmented_control(
        "Thema van deze ronde",
        theme_codes,
        format_func=lambda t: names.get(t, t),
        key=ROUND_PARAM,
        on_change=choose_round,
    )
    if st.session_state.get(ROUND_PARAM) is None:  # deselected: stay on the round from the URL
        st.session_state[ROUND_PARAM] = theme_code


def change_round(action: str, done: str, already: str) -> None:
    # The pressed button is disabled ('Uitslag tonen') or replaced (close ↔ reopen): the focus goes to the middle one.
    focus.focus_after_run(ROUND_BUTTON)
    try:
        changed = service.change_round(st.session_state.get(SECRET_STATE), session.session_id, theme_code, action)
    except ScoringError as err:
        st.session_state[MESSAGE_STATE] = ("error", str(err))
    else:
        st.session_state[MESSAGE_STATE] = ("success", done) if changed else ("info", already)
        service.show_theme(st.session_state.get(SECRET_STATE), session.session_id, theme_code)  # the beamer follows


if secret is not None and not presenting:
    current = service.snapshot(session.session_id).rounds[theme_code]
    st.subheader(f"Ronde: {names.get(theme_code, theme_code)}")
    reveal_column, close_column, screen_column = st.columns(3)
    reveal_column.button(
        "Uitslag tonen",
        icon=":material/visibility:",
        type="primary",
        disabled=current.revealed,
        on_click=change_round,
        args=("reveal", "De uitslag staat op het gedeelde scherm.", "De uitslag was al zichtbaar."),
        width="stretch",
    )
    close_column = close_column.container(key=ROUND_BUTTON)
    if current.is_open:
        close_column.button(
            "Ronde sluiten",
            icon=":material/lock:",
            on_click=change_round,
            args=("close", "De ronde is gesloten: nieuwe stemmen worden geweigerd.", "De ronde was al gesloten."),
            width="stretch",
        )
    else:
        close_column.button(
            "Ronde heropenen",
            icon=":material/lock_open:",
            on_click=change_round,
            args=(
                "reopen",
                "De ronde is weer open; de uitslag is verborgen tot u hem opnieuw toont.",
                "De ronde was al open.",
            ),
            width="stretch",
        )
    screen_column.link_button(
        "Gedeeld scherm openen",
        f"{runtime.app_base_url()}/scoringssessie?{runtime.CODE_PARAM}={session.join_code}"
        f"&{ROUND_PARAM}={theme_code}&weergave={filtering.PRESENTATION}",
        icon=":material/co_present:",
        width="stretch",
    )
    show_message()
    st.divider()

# --- The shared screen (also on the facilitator's laptop), refreshed twice a second ------------------------


@st.fragment(run_every=SCREEN_REFRESH_SECONDS)
def shared_screen(session_id: str, chosen: str, follow: bool) -> None:
    """Only this part redraws, twice a second. A following screen (the beamer) shows the round the facilitator put
    on the shared screen, read from the store: it moves with the facilitator without a click of its own."""
    snapshot = service.snapshot(session_id)
    theme = snapshot.shown_theme if follow and snapshot.shown_theme in snapshot.rounds else chosen
    round_ = snapshot.rounds[theme]
    state = (
        (f"ronde {round_.number} · " if round_.number > 1 else "")
        + ("stemronde open" if round_.is_open else "stemronde gesloten")
        + (" · uitslag zichtbaar" if round_.revealed else "")
    )
    if presenting:
        st.title(names.get(theme, theme))
    else:
        st.header(f"Gedeeld scherm: {names.get(theme, theme)}")
    st.markdown(
        f"**Sessie {snapshot.session.join_code}** · meting {snapshot.session.measurement_year} · {state} · "
        f"{snapshot.participant_count} {'deelnemer' if snapshot.participant_count == 1 else 'deelnemers'}"
    )
    if round_.is_open and not round_.revealed:  # after the reveal the results need the room
        st.html(
            display.join_box_html(snapshot.session.join_code, runtime.join_url(snapshot.session.join_code), presenting)
        )
    # The beamer after the reveal: four compact cells side by side, so the whole result fits one 1280×720 screen.
    show_cells(snapshot, theme, compact=presenting and round_.revealed)


def show_cells(snapshot, theme: str, compact: bool) -> None:
    reference = display.reference(snapshot.session.measurement_year)
    summaries = summarise(snapshot, theme, [d["dynamic_code"] for d in dynamics])
    per_row = 4 if compact else 2
    for row_start in range(0, len(dynamics), per_row):
        columns = st.columns(per_row, gap="small" if compact else "large")
        for column, dynamic, summary in zip(
            columns, dynamics[row_start : row_start + per_row], summaries[row_start : row_start + per_row], strict=False
        ):
            with column, st.container(border=True):
                st.html(
                    display.cell_html(
                        dynamic,
                        summary,
                        reference.score(theme, dynamic["dynamic_code"]),
                        reference.line(theme, dynamic["dynamic_code"]),
                        snapshot.participant_count,
                        compact,
                    )
                )


shared_screen(session.session_id, theme_code, not leading)

# --- The agreed indicative scores and the session's record (facilitator only) ---------------------------------


@st.fragment(run_every=RECORD_REFRESH_SECONDS)
def session_record(session_id: str, join_code: str) -> None:
    """Who is in and the session log, redrawn every second by itself: never 'Nog niemand' while phones vote."""
    participants = service.store.participant_names(session_id)
    with st.expander("Wie doet er mee"):  # a fixed label: the redraw keeps it open
        st.caption(f"{len(participants)} aangemeld. Alleen voor de begeleider, en nooit naast een score.")
        st.text("\n".join(escape.plain_text(name) for name in participants) or "Nog niemand.")
    export = io.StringIO()
    rows = service.store.write_csv(export, session_id)
    st.download_button(
        f"Logboek van deze sessie (CSV, {rows} gebeurtenissen, zonder namen)",  # no participant's, no facilitator's
        export.getvalue().encode("utf-8-sig"),
        file_name=f"scoringssessie-{join_code}.csv",
        mime="text/csv",
        icon=":material/download:",
        on_click="ignore",
    )


if secret is not None and not presenting:
    st.divider()
    st.subheader("Afgesproken indicatieve score vastleggen")
    st.caption("Per dynamiek de score waarover het koersteam het eens werd, met een korte toelichting.")
    snapshot = service.snapshot(session.session_id)
    summaries = {s.dynamic_code: s for s in summarise(snapshot, theme_code, [d["dynamic_code"] for d in dynamics])}

    def record(dynamic_code: str, score_key: str, note_key: str, button_key: str) -> None:
        """on_click of 'Vastleggen': before the page redraws, so the shared screen shows it at once. The focus comes
        back to the button (Streamlit disables it while the form is sent)."""
        focus.focus_after_run(button_key)
        try:
            agreed = service.record_agreed(
                st.session_state.get(SECRET_STATE),
                session.session_id,
                theme_code,
                dynamic_code,
                st.session_state.get(score_key),
                st.session_state.get(note_key) or "",
            )
        except ScoringError as err:
            st.session_state[f"{MESSAGE_STATE}-{dynamic_code}"] = ("error", str(err))
        else:
            st.session_state[f"{MESSAGE_STATE}-{dynamic_code}"] = ("success", f"Vastgelegd: score {agreed.score}.")

    def preselect(score_key: str, summary) -> str:
        """The agreed score if there is one, else after the reveal the median as a whole level (a half rounded
        up), put in the control once: the facilitator's own choice is never overwritten. Returns why, in Dutch."""
        if summary.agreed is not None:
            st.session_state.setdefault(score_key, summary.agreed.score)
            return ""
        if summary.suggested_score is None:
            return ""
        if st.session_state.get(score_key) is None and not st.session_state.get(f"{score_key}-voorgesteld"):
            st.session_state[score_key] = summary.suggested_score
            st.session_state[f"{score_key}-voorgesteld"] = True
        median = figures.number(summary.median)
        rounded = (
            "" if median == str(summary.suggested_score) else ", afgerond op een heel niveau (een half naar boven)"
        )
        return f"Voorgesteld: de mediaan {median}{rounded}: {summary.suggested_score}. Het team kan anders kiezen."

    columns = st.columns(2, gap="large")
    for index, dynamic in enumerate(dynamics):
        dynamic_code = dynamic["dynamic_code"]
        summary = summaries[dynamic_code]
        form_key = f"afspraak-{session.session_id}-{theme_code}-{dynamic_code}"
        suggested = preselect(f"{form_key}-score", summary)
        with columns[index % 2], st.form(form_key):
            st.markdown(f"**{dynamic['dynamic_name']}**")
            st.segmented_control("Afgesproken score", [1, 2, 3, 4, 5], key=f"{form_key}-score")
            if suggested:
                st.caption(suggested)
            st.text_input(
                "Toelichting (optioneel)",
                value=summary.agreed.note if summary.agreed else "",
                max_chars=MAX_NOTE,
                key=f"{form_key}-notitie",
            )
            st.form_submit_button(
                "Vastleggen",
                key=f"{form_key}-vastleggen",
                on_click=record,
                args=(dynamic_code, f"{form_key}-score", f"{form_key}-notitie", f"{form_key}-vastleggen"),
            )
            show_message(f"{MESSAGE_STATE}-{dynamic_code}")

    year = session.measurement_year

    def prefilled_form() -> bytes:
        """Built only when clicked: next measurement's scoring form with the agreed indicative scores."""
        return display.prefilled_form(service.indicative_cells(year), year)

    st.download_button(
        f"Scoringsformulier meting {year} voor de experts (Excel, met de indicatieve scores)",
        prefilled_form,
        file_name=f"scoringsformulier-{year}.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        icon=":material/table_view:",
        on_click="ignore",
        help=f"Vooringevuld met de afgesproken indicatieve scores van alle sessies op meting {year} en de "
        "vastgestelde scores van de vorige meting, ter informatie naast de kolommen die de experts invullen. "
        f"Zet het ingevulde formulier in data_raw/measurements/{year}/.",
    )
    session_record(session.session_id, session.join_code)
    focus.restore_focus()
