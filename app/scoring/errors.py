"""What a scoring session refuses, as exceptions whose str() is a Dutch sentence, and the fixed messages."""

from __future__ import annotations

from app.scoring.limits import MIN_SECRET_CHARACTERS, MIN_SECRET_LENGTH


class ScoringError(Exception):
    """Something a user did that the session refuses; str() is a Dutch sentence to show as it is."""


class NotAuthorised(ScoringError):
    pass


class FacilitatorDisabled(ScoringError):
    pass


class TooManyAttempts(ScoringError):
    pass


class SessionIsFull(ScoringError):
    pass


class TryAgain(ScoringError):
    """The vote store did not answer: nothing was written, and the same action may succeed in a moment."""


NO_SECRET_MESSAGE = (
    "De begeleidersknoppen staan uit: er is geen begeleidersgeheim ingesteld. Zet de omgevingsvariabele "
    "TM_FACILITATOR_SECRET (of facilitator_secret in .streamlit/secrets.toml) en start het dashboard opnieuw."
)
WEAK_SECRET_MESSAGE = (
    f"De begeleidersknoppen staan uit: het ingestelde begeleidersgeheim is te zwak. Kies een geheim van minstens "
    f"{MIN_SECRET_LENGTH} tekens met minstens {MIN_SECRET_CHARACTERS} verschillende tekens (bijvoorbeeld vier "
    "losse woorden), zet het in de omgevingsvariabele TM_FACILITATOR_SECRET (of facilitator_secret in "
    ".streamlit/secrets.toml) en start het dashboard opnieuw."
)
CLAIM_USED_MESSAGE = "Deze aanmeldlink is al gebruikt of verlopen. Meld u opnieuw aan met de sessiecode."
NOT_JOINED_MESSAGE = "U doet nog niet mee aan deze sessie: meld u eerst aan met de sessiecode."
