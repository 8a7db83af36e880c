"""Who may do what once sign-in is on: the roles file (config/roles.toml) and the rules, in plain Python.

Three roles, each one including the one below it, so the highest role that matches a person wins:

    lezer       every page except SQL and the facilitator's controls
    analist     + the SQL page
    begeleider  + opening and running scoring sessions, + the Logboek (who did what)

A person's role comes from their identity provider's claims (what st.user holds): a verified e-mail address,
the domain of that address, or a value of a claim such as `eduperson_entitlement` or `groups`. Someone who
matches no rule has no role: the app shows them a Dutch sentence and 'Afmelden'. Meedoen is open to everyone,
signed in or not: phones join a scoring session with its code only.

No Streamlit here (app/access.py puts it on screen), so the rules are unit-tested as they are.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_ROLES_FILE = ROOT / "config" / "roles.toml"
ROLES_FILE_ENV = "TM_ROLES_FILE"

LEZER, ANALIST, BEGELEIDER = "lezer", "analist", "begeleider"
ROLES = (LEZER, ANALIST, BEGELEIDER)  # lowest first: each role may do everything of the ones before it
ROLE_TITLES = {LEZER: "lezer", ANALIST: "analist", BEGELEIDER: "begeleider"}

# Pages that need more than the lowest role, and the page everyone may open without signing in.
PAGE_MINIMUM_ROLE = {"sql": ANALIST, "logboek": BEGELEIDER}
OPEN_PAGES = frozenset({"meedoen"})
FACILITATOR_ROLE = BEGELEIDER

RULE_KEYS = {"emailadressen", "domeinen", "claims"}
SIGN_IN_KEYS = {"geldig_uren"}
DEFAULT_VALID_HOURS = 12.0


class RolesFileError(Exception):
    """The roles file cannot be used; str() is a Dutch sentence that names the file and what is wrong."""


@dataclass(frozen=True)
class RoleRule:
    """Who gets one role: any matching address, domain or claim value is enough."""

    role: str
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    claims: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def matches(self, claims: Mapping[str, object]) -> bool:
        email = verified_email(claims)
        if email and (email in self.emails or email.rpartition("@")[2] in self.domains):
            return True
        return any(claim_values(claims.get(name)) & wanted for name, wanted in self.claims.items())


@dataclass(frozen=True)
class RolesConfig:
    rules: tuple[RoleRule, ...]
    valid_hours: float = DEFAULT_VALID_HOURS  # a sign-in older than this must be renewed


def verified_email(claims: Mapping[str, object]) -> str | None:
    """The e-mail address in lower case, unless the provider says it is not verified (then no address rule
    may grant a role on it: anyone can type an address into an account somewhere)."""
    email = claims.get("email")
    if not isinstance(email, str) or "@" not in email or claims.get("email_verified") is False:
        return None
    return email.strip().lower()


def claim_values(value: object) -> frozenset[str]:
    """A claim as a set of strings: SURFconext sends lists (eduperson_entitlement), others a single string."""
    if isinstance(value, str):
        return frozenset({value})
    if isinstance(value, list | tuple | set | frozenset):
        return frozenset(v for v in value if isinstance(v, str))
    return frozenset()


def resolve_role(claims: Mapping[str, object], config: RolesConfig) -> str | None:
    """The highest role any rule grants to these claims, or None (no access)."""
    granted = {rule.role for rule in config.rules if rule.matches(claims)}
    for role in reversed(ROLES):
        if role in granted:
            return role
    return None


def at_least(role: str | None, minimum: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(minimum)


def may_use_page(role: str | None, page: str) -> bool:
    """May someone with this role (None: no role, or not signed in) open this page?"""
    if page in OPEN_PAGES:
        return True
    return role is not None and at_least(role, PAGE_MINIMUM_ROLE.get(page, LEZER))


def may_facilitate(role: str | None) -> bool:
    return role is not None and at_least(role, FACILITATOR_ROLE)


def sign_in_expired(claims: Mapping[str, object], config: RolesConfig, now: datetime | None = None) -> bool:
    """True when the sign-in (the ID token's `iat`, when the provider vouched for the person) is older than the
    roles file allows, or carries no time at all. Streamlit's own cookie lives 30 days: too long for a role."""
    issued = claims.get("iat")
    if isinstance(issued, bool) or not isinstance(issued, int | float):
        return True
    age = (now or datetime.now(UTC)).timestamp() - float(issued)
    return age > config.valid_hours * 3600


# --- The file ----------------------------------------------------------------------------------------------


def _strings(value: object, where: str, lower: bool = True) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise RolesFileError(f'{where} moet een lijst met tekst zijn, bijvoorbeeld ["..."].')
    return frozenset(v.strip().lower() if lower else v.strip() for v in value)


def _rule(role: str, section: object, source: str) -> RoleRule:
    if not isinstance(section, dict):
        raise RolesFileError(f"{source}: [{role}] moet een sectie zijn.")
    unknown = set(section) - RULE_KEYS
    if unknown:
        raise RolesFileError(
            f"{source}: [{role}] kent {', '.join(sorted(unknown))} niet; wel: {', '.join(sorted(RULE_KEYS))}."
        )
    emails = _strings(section.get("emailadressen", []), f"{source}: [{role}] emailadressen")
    if any("@" not in e for e in emails):
        raise RolesFileError(f"{source}: [{role}] emailadressen bevat iets dat geen e-mailadres is.")
    domains = _strings(section.get("domeinen", []), f"{source}: [{role}] domeinen")
    if any("@" in d or "." not in d for d in domains):
        raise RolesFileError(f"{source}: [{role}] domeinen: schrijf een domein als instelling.nl (zonder @).")
    claims_section = section.get("claims", {})
    if not isinstance(claims_section, dict):
        raise RolesFileError(f'{source}: [{role}] claims moet een tabel zijn: claims.groups = ["..."].')
    claims = {
        name: _strings(values, f"{source}: [{role}] claims.{name}", lower=False)
        for name, values in claims_section.items()
    }
    return RoleRule(role, emails, domains, claims)


def parse_roles(text: str, source: str = "config/roles.toml") -> RolesConfig:
    """The roles file's text as rules; a mistake is a RolesFileError that says where, in Dutch."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise RolesFileError(f"{source} is geen geldige TOML: {error}.") from None
    unknown = set(document) - {*ROLES, "aanmelding"}
    if unknown:
        raise RolesFileError(
            f"{source}: onbekende sectie {', '.join(sorted(unknown))}; de rollen zijn {', '.join(ROLES)}."
        )
    sign_in = document.get("aanmelding", {})
    if not isinstance(sign_in, dict) or set(sign_in) - SIGN_IN_KEYS:
        raise RolesFileError(f"{source}: [aanmelding] kent alleen geldig_uren.")
    hours = sign_in.get("geldig_uren", DEFAULT_VALID_HOURS)
    if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24 * 30:
        raise RolesFileError(f"{source}: [aanmelding] geldig_uren moet een getal tussen 0 en 720 zijn.")
    rules = tuple(_rule(role, document[role], source) for role in ROLES if role in document)
    return RolesConfig(rules, float(hours))


def roles_file() -> Path:
    configured = os.environ.get(ROLES_FILE_ENV, "").strip()
    return Path(configured) if configured else DEFAULT_ROLES_FILE


def load_roles(path: Path | None = None) -> RolesConfig:
    path = path or roles_file()
    try:
        text = path.read_text(encoding="utf-8")
    except OSError:
        raise RolesFileError(f"Het rollenbestand {path.name} ontbreekt of is niet leesbaar.") from None
    return parse_roles(text, path.name)
