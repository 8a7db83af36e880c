"""The one HTTP route of the scoring session: a browser redeems its join for the participant cookie.

Streamlit talks to the browser over a websocket and cannot set a cookie, let alone an HttpOnly one. So the join
form (app/views/meedoen.py) gets a one-time claim from the server and sends the browser here; this route redeems
the claim (once, within minutes, on whichever app server: it lives hashed in the vote store), which creates the
participant with a token the server chose, sets that token as an HttpOnly, SameSite=Lax cookie for this session
(Secure over https) and redirects to the session's page. The page reads the cookie from `st.context.cookies`.

So identity never travels in a URL that can be shared: the page's link is only `/meedoen?code=…`, and the
claim in this route's link is spent the moment it is used. Registered in app/asgi.py (`routes=ROUTES`).
"""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Route

from app.scoring import runtime
from app.scoring.limits import Limits
from app.scoring.session import ScoringError, ScoringService, SessionIsFull

COOKIE_SECONDS = 12 * 3600  # a meeting day; the token stays valid in the store, a new join gives a new cookie
NOTICE_EXPIRED = "verlopen"
NOTICE_FULL = "vol"
NOTICE_FAILED = "storing"

log = logging.getLogger("transitiemonitor")


def over_https(request: Request) -> bool:
    """The browser's own connection was https: directly, or as a proxy in front of us says."""
    forwarded = request.headers.get("x-forwarded-proto", "").split(",")[0].strip().lower()
    return request.url.scheme == "https" or forwarded == "https"


def _redirect(location: str) -> RedirectResponse:
    response = RedirectResponse(location, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


def redeem(request: Request) -> Response:
    """GET /meedoen/aanmelden?sleutel=…: a sync endpoint, so Starlette runs the store calls in a worker thread."""
    base = request.url.path[: -len(runtime.CLAIM_PATH)] if request.url.path.endswith(runtime.CLAIM_PATH) else ""
    client = request.client.host if request.client else None
    try:
        service = ScoringService(runtime.store(), None, client=client, limits=Limits.from_env())
        join_code, _, token = service.redeem_claim(request.query_params.get(runtime.CLAIM_PARAM))
    except SessionIsFull:
        return _redirect(f"{base}/meedoen?{runtime.NOTICE_PARAM}={NOTICE_FULL}")
    except ScoringError:
        return _redirect(f"{base}/meedoen?{runtime.NOTICE_PARAM}={NOTICE_EXPIRED}")
    except Exception:  # the store unreachable: the trace to the log, a Dutch sentence on the page
        log.exception("Aanmeldlink inwisselen mislukt")
        return _redirect(f"{base}/meedoen?{runtime.NOTICE_PARAM}={NOTICE_FAILED}")
    name = runtime.cookie_name(join_code)
    response = _redirect(f"{base}/meedoen?{runtime.CODE_PARAM}={join_code}")
    if name:  # always: the join code comes from the store, in our alphabet
        response.set_cookie(
            name,
            token,
            max_age=COOKIE_SECONDS,
            path="/",
            secure=over_https(request),
            httponly=True,
            samesite="lax",
        )
    return response


ROUTES = [Route(runtime.CLAIM_PATH, redeem, methods=["GET"])]
