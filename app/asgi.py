"""The served application: Streamlit's router behind the product's own HTTP rules.

`streamlit run app/asgi.py` (what app/serve.py starts) finds `app` below and serves it. Here, not in a page:
Streamlit's internal metrics are not public, an error no page caught becomes a Dutch sentence in the browser
while its traceback goes to the server log, and a proxy or service manager asks two questions of its own:

    /gezond   the process is alive and answers HTTP (200), nothing else is checked
    /gereed   this server can serve a page: the warehouse answers a query and the vote store answers (200),
              else 503 with a short Dutch sentence. Neither reveals a path, a version or an error text.
"""

from __future__ import annotations

import logging
import os
import posixpath
import sys
import threading
from pathlib import Path

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # `app` as a package, however Streamlit starts us

from app.scoring import participant_cookie  # noqa: E402
from warehouse.votes import StoreUnavailable, VoteStore, open_store  # noqa: E402

ROUTER = Path(__file__).resolve().parent / "streamlit_app.py"

# Routes Streamlit serves to anyone by default that say something about the server (sessions, memory, users):
# for the people who run it, through the host, never through the app's port.
PRIVATE_PATHS = ("/_stcore/metrics",)

ERROR_SENTENCE = (
    "Er ging iets mis bij het tonen van deze pagina. Ververs de pagina of ga terug naar het Overzicht; "
    "blijft het misgaan, meld dan het tijdstip aan de beheerder van de Transitiemonitor."
)

log = logging.getLogger("transitiemonitor")


def normalised_path(raw: str) -> str:
    """'/_stcore//metrics/', '/x/../_stcore/metrics' and '/_STCORE/Metrics' all name the same route."""
    path = posixpath.normpath("/" + raw.replace("\\", "/")).lower()
    return "/" + path.lstrip("/")


class PrivateRoutes:
    """ASGI middleware: a 404 for the private routes, whatever spelling of the path reaches us."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] == "http" and normalised_path(scope.get("path", "")).endswith(PRIVATE_PATHS):
            await PlainTextResponse("Niet gevonden.", status_code=404)(scope, receive, send)
            return
        await self.app(scope, receive, send)


# The default page is served at the root ('/'); its own name answers too, with the same query string, so a link
# typed or shared as /overzicht?sector=wo shows the Overzicht and not Streamlit's 'page not found'.
PAGE_ALIASES = {"/overzicht": "./", "/overzicht/": "../"}


class PageAliases:
    """ASGI middleware: a redirect from an alias of a page to its address, keeping the query string. The
    location is relative, so it stays right behind a proxy that serves the app under a path of its own."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        path = scope.get("path", "")
        target = PAGE_ALIASES.get(path.lower()) if scope["type"] == "http" else None
        if target is None or scope.get("method") not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string", b"").decode("latin-1")
        location = target + (f"?{query}" if query else "")
        await RedirectResponse(location, status_code=307)(scope, receive, send)


class DutchDocument:
    """ASGI middleware: the page document says `<html lang="nl">` (Streamlit ships "en"), so screen readers and
    the browser's hyphenation and translation offers treat the text as Dutch (WCAG 3.1.1). Only the small HTML
    document is touched: its request goes out without Accept-Encoding, so the body arrives uncompressed."""

    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send) -> None:
        last_segment = scope.get("path", "").rsplit("/", 1)[-1]
        if scope["type"] != "http" or scope.get("method") != "GET" or "." in last_segment:
            await self.app(scope, receive, send)
            return
        headers = [(k, v) for k, v in scope.get("headers", []) if k.lower() != b"accept-encoding"]
        started: dict = {}
        body: list[bytes] = []

        async def rewrite(message) -> None:
            if message["type"] == "http.response.start":
                content_type = dict(message.get("headers", [])).get(b"content-type", b"")
                if not content_type.startswith(b"text/html"):
                    await send(message)
                    return
                started.update(message)
                return
            if not started or message["type"] != "http.response.body":
                await send(message)
                return
            body.append(message.get("body", b""))
            if message.get("more_body"):
                return
            document = b"".join(body).replace(b'<html lang="en">', b'<html lang="nl">', 1)
            response_headers = [(k, v) for k, v in started.get("headers", []) if k.lower() != b"content-length"]
            response_headers.append((b"content-length", str(len(document)).encode()))
            await send({**started, "headers": response_headers})
            await send({"type": "http.response.body", "body": document})

        await self.app({**scope, "headers": headers}, receive, rewrite)


def _store_unavailable(error: BaseException | None) -> StoreUnavailable | None:
    """The vote store's 'down for a moment' anywhere in the chain of causes (the scoring rules re-raise it)."""
    while error is not None:
        if isinstance(error, StoreUnavailable):
            return error
        error = error.__cause__ or error.__context__
    return None


def show_error_in_dutch(error: Exception) -> bool:
    """The one top-level handler of every page: the trace to the server log, a Dutch sentence to the person.
    A vote store that is down for a moment (PostgreSQL restarting) is said as such: trying again will work."""
    unavailable = _store_unavailable(error)
    if unavailable is not None:
        log.warning("Stemopslag even niet bereikbaar tijdens een pagina (%s)", type(error).__name__)
        st.warning(str(unavailable), icon=":material/sync:")
        return True
    log.error("Fout bij het tonen van een pagina", exc_info=error)
    st.error(ERROR_SENTENCE, icon=":material/error:")
    return True  # Streamlit shows nothing of its own: no exception type, message or traceback


NOT_READY_WAREHOUSE = "Niet gereed: het warehouse kan niet worden gelezen."
NOT_READY_VOTES = "Niet gereed: de stemopslag antwoordt niet."
# Never cached by a proxy or browser: the answer is about this moment.
PROBE_HEADERS = {"Cache-Control": "no-store"}

_stores: dict[tuple[str, str], VoteStore] = {}
_stores_lock = threading.Lock()


def _vote_store() -> VoteStore:
    """One store per configuration for the probes (PostgreSQL keeps its connections); opened again after a
    failure, so a database that comes back makes the server ready again."""
    key = (os.environ.get("TM_VOTES_URL", "").strip(), os.environ.get("TM_VOTES_PATH", "").strip())
    with _stores_lock:
        if key not in _stores:
            _stores[key] = open_store()
        return _stores[key]


def readiness_problem() -> str | None:
    """None when this server can serve pages, else the Dutch sentence that says what is missing.

    The warehouse is asked through the app's own door (app.data, read-only, per warehouse version, so a swapped-in
    build is what gets checked); the vote store through its public read functions.
    """
    # Imported here, once the runtime runs: at module import its caches would warn 'no runtime found'.
    from app import data

    try:
        data.measurements()
    except Exception as error:  # noqa: BLE001 - missing, half-written, unreadable: all mean 'not ready'
        # One line per probe (a proxy asks every second); the trace only at debug level.
        log.warning("Gereedheid: warehouse niet leesbaar (%s)", type(error).__name__)
        log.debug("Gereedheid: warehouse", exc_info=True)
        return NOT_READY_WAREHOUSE
    try:
        _vote_store().recent_sessions(limit=1)
    except Exception as error:  # noqa: BLE001 - a database that is down or refuses us
        log.warning("Gereedheid: stemopslag antwoordt niet (%s)", type(error).__name__)
        log.debug("Gereedheid: stemopslag", exc_info=True)
        with _stores_lock:
            for store in _stores.values():
                store.close()
            _stores.clear()
        return NOT_READY_VOTES
    return None


async def alive(_request) -> PlainTextResponse:
    return PlainTextResponse("Gezond.", headers=PROBE_HEADERS)


async def ready(_request) -> PlainTextResponse:
    problem = await run_in_threadpool(readiness_problem)  # a slow database must not block the event loop
    if problem:
        return PlainTextResponse(problem, status_code=503, headers=PROBE_HEADERS)
    return PlainTextResponse("Gereed.", headers=PROBE_HEADERS)


PROBE_ROUTES = [
    Route("/gezond", alive, methods=["GET", "HEAD"]),
    Route("/gereed", ready, methods=["GET", "HEAD"]),
]

# Written as a plain `app = st.App(...)`: `streamlit run` finds the app by reading this file, not by running it.
app = st.App(
    ROUTER,
    routes=[*PROBE_ROUTES, *participant_cookie.ROUTES],
    middleware=[Middleware(PrivateRoutes), Middleware(PageAliases), Middleware(DutchDocument)],
    on_script_error=show_error_in_dutch,
)
