"""A real OpenID Provider for the tests and `make staging`: tests/oidc/provider.js (the npm package oidc-provider,
pinned in tests/oidc/package-lock.json and installed by `make test` / `make staging` with `npm ci`), never a mock.

It listens on 127.0.0.1 only and keeps everything in memory: it lives as long as the process that started it.
The test users (one per role, and one without a role) are in tests/oidc/users.json.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

FOLDER = Path(__file__).resolve().parent / "oidc"
USERS = {name: user for name, user in json.loads((FOLDER / "users.json").read_text()).items() if name != "_uitleg"}
SCOPES = "openid email profile groups eduperson_entitlement"
MISSING = (
    "De test-identiteitsprovider is niet geïnstalleerd (tests/oidc/node_modules ontbreekt): `make test` installeert "
    "hem (npm ci in tests/oidc, Node.js en npm via apt-get)."
)


@dataclass(frozen=True)
class Client:
    """One registered application (a relying party) and where it may send people back to."""

    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    post_logout_redirect_uris: tuple[str, ...] = ()

    def registration(self) -> dict:
        return {
            "client_id": self.client_id,
            "client_secret": self.client_secret,
            "redirect_uris": list(self.redirect_uris),
            "post_logout_redirect_uris": list(self.post_logout_redirect_uris),
        }


def streamlit_client(app_url: str, client_id: str = "transitiemonitor") -> Client:
    """The app as Streamlit's st.login uses it: back to <app>/oauth2callback. st.logout sends the same callback
    address as post_logout_redirect_uri (Streamlit then goes on to the app), so both are registered for it."""
    app_url = app_url.rstrip("/")
    callback = f"{app_url}/oauth2callback"
    return Client(client_id, secrets.token_urlsafe(24), (callback,), (callback, f"{app_url}/"))


@dataclass
class Provider:
    issuer: str
    clients: tuple[Client, ...]
    process: subprocess.Popen = field(repr=False)
    log: Path = field(repr=False)

    @property
    def metadata_url(self) -> str:
        return f"{self.issuer}/.well-known/openid-configuration"

    def auth_secrets(self, client: Client, cookie_secret: str) -> str:
        """The `[auth]` section of a secrets.toml that signs in through this provider with `client`."""
        values = {
            "redirect_uri": client.redirect_uris[0],
            "cookie_secret": cookie_secret,
            "client_id": client.client_id,
            "client_secret": client.client_secret,
            "server_metadata_url": self.metadata_url,
        }
        lines = ["[auth]", *(f"{key} = {json.dumps(value)}" for key, value in values.items())]
        # oidc-provider refuses Streamlit's default prompt=select_account; the claims need their scopes.
        lines.append(f'client_kwargs = {{ prompt = "login", scope = {json.dumps(SCOPES)} }}')
        return "\n".join(lines) + "\n"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.unlink(missing_ok=True)


def installed() -> bool:
    return (FOLDER / "node_modules" / "oidc-provider").is_dir() and shutil.which("node") is not None


def start(port: int, clients: list[Client], timeout: float = 20) -> Provider:
    """Start the provider on 127.0.0.1:port with these clients and wait until it publishes its metadata."""
    if not installed():
        raise FileNotFoundError(MISSING)
    config = {"port": port, "clients": [c.registration() for c in clients]}
    handle, log_name = tempfile.mkstemp(prefix="tm-oidc-", suffix=".log")
    with os.fdopen(handle, "wb") as log:  # a file, not a pipe: a pipe nobody reads could fill and block node
        process = subprocess.Popen(
            ["node", str(FOLDER / "provider.js")],
            cwd=FOLDER,
            env={**os.environ, "TM_OIDC_CONFIG": json.dumps(config)},
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    provider = Provider(f"http://127.0.0.1:{port}", tuple(clients), process, Path(log_name))
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(provider.metadata_url, timeout=2) as response:
                if response.status == 200:
                    return provider
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                output = provider.log.read_text(errors="replace")[-2000:]
                provider.stop()
                raise RuntimeError(f"oidc-provider startte niet:\n{output}") from None
            time.sleep(0.1)
