"""Sign-in and roles: the rules of app/roles.py on their own, then the router (AppTest) with an `[auth]` section and
a signed-in st.user for each role. The real sign-in through the identity provider, in a browser, is
tests/test_signin_browser.py; here every role's pages and refusals are checked in a fraction of a second each.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest

from app import audit, roles
from tests.helpers import APP
from tests.oidc_server import USERS
from warehouse.votes import SqliteVoteStore, StoreUnavailable
from warehouse.votes.model import UNAVAILABLE_MESSAGE

CONFIG = roles.load_roles(roles.DEFAULT_ROLES_FILE)
SIGNED_IN_PAGES = ["Overzicht", "Thema", "Voorbeelden", "Zoeken", "Voortgang", "Methode", "Scoringssessie", "Meedoen"]
EXPECTED_PAGES = {
    "lezer": SIGNED_IN_PAGES,
    "analist": [*SIGNED_IN_PAGES[:6], "SQL", *SIGNED_IN_PAGES[6:]],
    "begeleider": [*SIGNED_IN_PAGES[:6], "SQL", *SIGNED_IN_PAGES[6:], "Logboek"],
}
AUTH = {
    "redirect_uri": "http://127.0.0.1:9/oauth2callback",
    "cookie_secret": "k" * 32,
    "client_id": "transitiemonitor",
    "client_secret": "geheim",
    "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration",
}


def claims_of(user: str, **changes) -> dict:
    """What st.user holds for a test user of the identity provider (tests/oidc/users.json), signed in now."""
    person = USERS[user]
    return {
        "is_logged_in": True,
        "sub": user,
        "email": person["email"],
        "email_verified": True,
        "name": person["name"],
        "groups": person["groups"],
        "eduperson_entitlement": person["eduperson_entitlement"],
        "iat": int(time.time()),
        **changes,
    }


# --- The rules --------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("user", ["lezer", "analist", "begeleider"])
def test_each_test_user_gets_their_role_from_the_committed_roles_file(user):
    assert roles.resolve_role(claims_of(user), CONFIG) == user


def test_someone_matching_no_rule_has_no_role():
    assert roles.resolve_role(claims_of("gast"), CONFIG) is None
    assert roles.resolve_role({}, CONFIG) is None


def test_the_highest_role_wins_whatever_matched_it():
    config = roles.parse_roles(
        """
        [lezer]
        domeinen = ["hva.nl"]
        [analist]
        claims.groups = ["data-team"]
        [begeleider]
        emailadressen = ["Fien@HvA.nl"]
        """
    )
    reader = {"email": "jan@hva.nl", "email_verified": True}
    assert roles.resolve_role(reader, config) == "lezer"
    assert roles.resolve_role({**reader, "groups": ["data-team", "x"]}, config) == "analist"
    assert roles.resolve_role({"email": "fien@hva.nl", "groups": ["data-team"]}, config) == "begeleider"
    assert roles.resolve_role({"email": "jan@elders.nl", "groups": "data-team"}, config) == "analist"  # a string
    assert roles.resolve_role({"email": "jan@sub.hva.nl"}, config) is None  # a domain is exact


def test_an_unverified_address_grants_nothing_but_a_claim_still_counts():
    config = roles.parse_roles('[begeleider]\nemailadressen = ["fien@hva.nl"]\n[lezer]\nclaims.groups = ["g"]')
    assert roles.resolve_role({"email": "fien@hva.nl", "email_verified": False}, config) is None
    assert roles.resolve_role({"email": "fien@hva.nl", "email_verified": False, "groups": ["g"]}, config) == "lezer"


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (None, {"meedoen"}),
        ("lezer", {"overzicht", "thema", "voorbeelden", "zoeken", "voortgang", "methode", "scoringssessie", "meedoen"}),
        (
            "analist",
            {"overzicht", "thema", "voorbeelden", "zoeken", "voortgang", "methode", "scoringssessie", "meedoen"}
            | {"sql"},
        ),
        (
            "begeleider",
            {
                "overzicht",
                "thema",
                "voorbeelden",
                "zoeken",
                "voortgang",
                "methode",
                "scoringssessie",
                "meedoen",
                "sql",
                "logboek",
            },
        ),
    ],
)
def test_pages_per_role(role, allowed):
    from app.ui.layout import PAGES

    assert {page for page in PAGES if roles.may_use_page(role, page)} == allowed
    assert roles.may_facilitate(role) == (role == "begeleider")


def test_a_sign_in_older_than_the_roles_file_allows_has_expired():
    now = datetime(2026, 12, 5, 12, tzinfo=UTC)
    hours = CONFIG.valid_hours
    assert not roles.sign_in_expired({"iat": now.timestamp() - (hours - 0.1) * 3600}, CONFIG, now)
    assert roles.sign_in_expired({"iat": now.timestamp() - (hours + 0.1) * 3600}, CONFIG, now)
    assert roles.sign_in_expired({}, CONFIG, now)  # no time at all: not trusted
    assert roles.sign_in_expired({"iat": True}, CONFIG, now)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("[beheerder]\nemailadressen = []", "onbekende sectie beheerder"),
        ("[lezer]\nemails = []", "kent emails niet"),
        ('[lezer]\nemailadressen = ["geen-adres"]', "geen e-mailadres"),
        ('[lezer]\ndomeinen = ["@hva.nl"]', "zonder @"),
        ('[lezer]\nclaims = ["groups"]', "claims moet een tabel zijn"),
        ('[lezer]\nclaims.groups = "g"', "claims.groups moet een lijst"),
        ("[aanmelding]\ngeldig_uren = 0", "geldig_uren"),
        ("[lezer\n", "geen geldige TOML"),
    ],
)
def test_a_mistake_in_the_roles_file_is_refused_with_a_dutch_sentence(text, says):
    with pytest.raises(roles.RolesFileError, match=says):
        roles.parse_roles(text, "roles.toml")


# --- The router with sign-in on ---------------------------------------------------------------------------------


@pytest.fixture
def app_env(warehouse_path, tmp_path, monkeypatch):
    monkeypatch.setenv("TM_WAREHOUSE", str(warehouse_path))
    monkeypatch.setenv("TM_VOTES_PATH", str(tmp_path / "votes.sqlite"))
    monkeypatch.delenv("TM_VOTES_URL", raising=False)
    monkeypatch.delenv("TM_FACILITATOR_SECRET", raising=False)
    monkeypatch.delenv(roles.ROLES_FILE_ENV, raising=False)
    return tmp_path / "votes.sqlite"


def run_app(user: dict | None, page: str | None = None, auth: bool = True):
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(APP), default_timeout=60)
    if auth:
        at.secrets["auth"] = AUTH
    if user is not None:
        at.user = user
    at.run()
    if page:
        at.switch_page(f"views/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def nav_titles(at) -> list[str]:
    return [link.proto.label for link in at.sidebar.get("page_link") if link.proto.label != "Presentatiemodus"]


def test_without_auth_the_dashboard_is_open_with_every_page_and_no_sign_in(app_env):
    at = run_app(None, auth=False)
    assert at.title[0].value == "Staat van transitie"
    assert nav_titles(at) == EXPECTED_PAGES["begeleider"]
    assert not [b for b in at.button if b.label in ("Aanmelden", "Afmelden")]


def test_signed_out_every_page_but_meedoen_is_the_dutch_sign_in_page(app_env):
    for page in (None, "sql", "logboek", "scoringssessie"):
        at = run_app({"is_logged_in": False}, page)
        assert [t.value for t in at.title] == ["Transitiemonitor"]
        assert "Meld u aan met het account van uw instelling" in at.markdown[0].value
        assert [b.label for b in at.button] == ["Aanmelden"]
        assert not at.sidebar.get("page_link")
    at = run_app({"is_logged_in": False}, "meedoen")  # phones join without signing in
    assert at.title[0].value == "Meedoen aan de scoringssessie"
    assert nav_titles(at) == ["Meedoen"]
    assert at.text_input[0].label == "Sessiecode"


@pytest.mark.parametrize("role", ["lezer", "analist", "begeleider"])
def test_each_role_sees_exactly_its_pages_its_name_and_afmelden(app_env, role):
    at = run_app(claims_of(role))
    assert at.title[0].value == "Staat van transitie"
    assert nav_titles(at) == EXPECTED_PAGES[role]
    assert at.sidebar.markdown[0].value == f"Aangemeld als **{USERS[role]['name']}** · {role}"
    assert "Afmelden" in [b.label for b in at.sidebar.button]
    for page, title in {"sql": "SQL", "logboek": "Logboek"}.items():
        at = run_app(claims_of(role), page)
        assert at.title[0].value == title
        warnings = [w.value for w in at.warning]
        if title in EXPECTED_PAGES[role]:  # the page itself: the SQL editor, the (empty) log
            assert not warnings
            assert at.text_area if page == "sql" else at.info[0].value == "Er staat nog niets in het logboek."
        else:
            assert warnings == [
                f"Deze pagina is er niet voor uw rol ({role}). Kies een andere pagina in de zijbalk, of vraag de "
                "beheerder om een andere rol als u deze pagina nodig heeft."
            ]
            assert len(at.title) == 1 and not at.text_area and not at.info  # nothing of the page itself


def test_only_the_begeleider_gets_the_facilitator_controls_and_no_secret_is_asked(app_env):
    at = run_app(claims_of("begeleider"), "scoringssessie")
    assert at.success[0].value == "U bent aangemeld als begeleider."
    assert [f.label for f in at.text_input][:1] == ["Uw naam (begeleider)"]
    assert "Afmelden" not in [b.label for b in at.main.button]  # signing out is the sidebar's, for the whole app
    for role in ("lezer", "analist"):
        at = run_app(claims_of(role), "scoringssessie")
        assert not at.success
        assert "Begeleidersgeheim" not in [f.label for f in at.text_input]
        assert any("Sessies openen en leiden kan met de rol begeleider" in c.value for c in at.caption)


def test_someone_without_a_role_gets_a_sentence_and_afmelden_only(app_env):
    at = run_app(claims_of("gast"))
    assert [t.value for t in at.title] == ["Transitiemonitor"]
    assert "maar u heeft geen toegang tot de Transitiemonitor" in at.warning[0].value
    assert [b.label for b in at.button] == ["Afmelden"]
    assert not at.sidebar.get("page_link")


def test_an_expired_sign_in_asks_to_sign_in_again(app_env):
    at = run_app(claims_of("begeleider", iat=int(time.time()) - int(CONFIG.valid_hours * 3600) - 60), "sql")
    assert "Uw aanmelding is verlopen" in at.warning[0].value
    assert [b.label for b in at.button] == ["Opnieuw aanmelden", "Afmelden"]
    assert at.title[0].value == "Transitiemonitor"


def test_a_broken_roles_file_lets_nobody_in_but_phones_still_join(app_env, tmp_path, monkeypatch):
    broken = tmp_path / "roles.toml"
    broken.write_text("[beheerder]\n")
    monkeypatch.setenv(roles.ROLES_FILE_ENV, str(broken))
    at = run_app(claims_of("begeleider"))
    assert "het rollenbestand is niet leesbaar of klopt niet" in at.error[0].value
    assert run_app(claims_of("begeleider"), "meedoen").title[0].value == "Meedoen aan de scoringssessie"


SECRET = "een sterk begeleidersgeheim"  # 12+ characters, 6+ different: a weaker one keeps the controls off


def test_the_logboek_names_the_signed_in_facilitator_and_analist_never_a_participant(app_env, warehouse_path):
    from app.scoring.session import ScoringService

    store = SqliteVoteStore(app_env)
    service = audit.AuditedService(ScoringService(store, SECRET), audit.Actor("begeleider@instelling.example", "b"))
    session = service.open_session(SECRET, "Bea", 2026, ["flexibele_leerroutes"], ["flexibele_leerroutes"])
    service.join(session.join_code, "Deelnemer Anna")
    service.change_round(SECRET, session.session_id, "flexibele_leerroutes", "close")
    service.change_round(SECRET, session.session_id, "flexibele_leerroutes", "close")  # no change: no entry
    audit.record_sql(lambda: store, audit.Actor("analist@instelling.example", "analist"), "select 42")
    at = run_app(claims_of("begeleider"), "logboek")
    table = at.dataframe[0].value
    assert table["wat"].to_list() == ["SQL uitgevoerd", "ronde gesloten", "sessie geopend"]
    assert table["wie"].to_list() == ["analist@instelling.example", *["begeleider@instelling.example"] * 2]
    assert table["sessie"].to_list() == ["", session.join_code, session.join_code]
    assert table["details"][0] == "select 42"
    assert "Anna" not in table.to_csv()
    assert at.markdown[0].value.startswith("**3 gebeurtenissen**")


def test_the_sql_page_logs_who_ran_which_query_before_it_runs(app_env):
    store = SqliteVoteStore(app_env)
    at = run_app(claims_of("analist"), "sql")
    at.text_area(key="sql").set_value("select 1 as een").run()
    entries = audit.recent(store)
    assert [(e.actor, e.actor_role, e.action, e.detail) for e in entries] == [
        ("analist@instelling.example", "analist", "sql_run", "select 1 as een")
    ]
    assert not at.exception


def test_a_query_is_not_run_when_the_log_cannot_be_written(app_env, monkeypatch):
    from warehouse.votes import audit as audit_log

    def store_down(*_args, **_kwargs):
        raise StoreUnavailable(UNAVAILABLE_MESSAGE)

    monkeypatch.setattr(audit_log, "record", store_down)  # the database goes down between page and query
    at = run_app(claims_of("analist"), "sql")
    at.text_area(key="sql").set_value("select 1 as een").run()
    assert at.error[0].value == audit.SQL_NOT_LOGGED
    assert "opnieuw" in at.error[0].value
    assert at.session_state["sql_result"][1] is None  # no result: the query did not run
