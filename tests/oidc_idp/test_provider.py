"""The test OpenID Connect provider works on its own: discovery, then the authorization-code flow
driven with requests (no browser, no Paydown), then the ID token and userinfo."""

import re
import secrets
from urllib.parse import parse_qs, urljoin, urlsplit

import jwt
import pytest
import requests

from tests.oidc_idp.server import start_provider

REDIRECT_URI = "http://127.0.0.1:9/callback"  # never called: the test reads the redirect
USER = {
    "username": "dana",
    "password": "dana-idp-password",
    "email": "dana@example.com",
    "name": "Dana Scully",
    "groups": ["paydown-search-managers", "staff"],
}


@pytest.fixture
def provider(tmp_path):
    provider = start_provider(tmp_path, redirect_uris=[REDIRECT_URI], users=[USER])
    try:
        yield provider
    finally:
        provider.stop()


@pytest.fixture
def http():
    with requests.Session() as session:
        session.trust_env = False  # the provider is local: no proxy from the environment
        yield session


def test_discovery_then_code_flow_gives_verified_claims(provider, http):
    discovery = http.get(provider.discovery_url, timeout=10)
    assert discovery.status_code == 200
    config = discovery.json()
    assert config["issuer"] == provider.issuer
    for endpoint in ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri"):
        assert config[endpoint].startswith(provider.issuer + "/"), endpoint

    state, nonce = secrets.token_urlsafe(16), secrets.token_urlsafe(16)
    authorize = http.get(
        config["authorization_endpoint"],
        params={
            "client_id": provider.client_id,
            "redirect_uri": REDIRECT_URI,
            "scope": "openid email profile groups",
            "response_type": "code",
            "state": state,
            "nonce": nonce,
        },
        allow_redirects=False,
        timeout=10,
    )
    assert authorize.status_code == 302
    login_url = urljoin(authorize.url, authorize.headers["Location"])
    assert urlsplit(login_url).path == "/login/"

    login_page = http.get(login_url, timeout=10)
    assert login_page.status_code == 200
    assert "Username" in login_page.text and "Log in" in login_page.text
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login_page.text).group(1)
    next_url = parse_qs(urlsplit(login_url).query)["next"][0]
    logged_in = http.post(
        login_page.url,
        data={
            "csrfmiddlewaretoken": csrf,
            "username": USER["username"],
            "password": USER["password"],
            "next": next_url,
        },
        headers={"Referer": login_page.url},
        allow_redirects=False,
        timeout=10,
    )
    assert logged_in.status_code == 302, logged_in.text
    back_to_authorize = urljoin(login_page.url, logged_in.headers["Location"])
    assert back_to_authorize.startswith(config["authorization_endpoint"])

    # No consent page: the client does not require consent, so authorize answers with the code.
    granted = http.get(back_to_authorize, allow_redirects=False, timeout=10)
    assert granted.status_code == 302, granted.text
    callback = urlsplit(granted.headers["Location"])
    assert f"{callback.scheme}://{callback.netloc}{callback.path}" == REDIRECT_URI
    query = parse_qs(callback.query)
    assert query["state"] == [state]
    code = query["code"][0]

    token = http.post(
        config["token_endpoint"],
        data={"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT_URI},
        auth=(provider.client_id, provider.client_secret),
        timeout=10,
    )
    assert token.status_code == 200, token.text
    tokens = token.json()

    jwks = jwt.PyJWKSet.from_dict(http.get(config["jwks_uri"], timeout=10).json())
    kid = jwt.get_unverified_header(tokens["id_token"])["kid"]
    key = next(k for k in jwks.keys if k.key_id == kid)
    claims = jwt.decode(
        tokens["id_token"],
        key=key,
        algorithms=["RS256"],
        audience=provider.client_id,
        issuer=provider.issuer,
    )
    assert claims["iss"] == provider.issuer
    assert claims["aud"] == provider.client_id
    assert claims["nonce"] == nonce
    assert claims["email"] == USER["email"]

    userinfo = http.get(
        config["userinfo_endpoint"],
        headers={"Authorization": f"Bearer {tokens['access_token']}"},
        timeout=10,
    )
    assert userinfo.status_code == 200, userinfo.text
    info = userinfo.json()
    assert info["sub"] == claims["sub"]
    assert info["email"] == USER["email"]
    assert info["email_verified"] is True
    assert info["name"] == USER["name"]
    assert info["preferred_username"] == USER["username"]
    assert info["groups"] == sorted(USER["groups"])


def test_stop_ends_the_server(tmp_path):
    provider = start_provider(tmp_path, redirect_uris=[REDIRECT_URI], users=[])
    provider.stop()
    assert provider.process.poll() is not None
    with pytest.raises(requests.ConnectionError):
        requests.get(provider.discovery_url, timeout=2, proxies={"http": "", "https": ""})
