"""The test SAML 2.0 identity provider: a WSGI application around pysaml2's `saml2.server.Server`.

    SAML_IDP_CONFIG=/tmp/.../saml-idp.json python -m gunicorn tests.saml_idp.app:application ...

The JSON file (written by `server.start_idp`) holds:

    base_url         "http://127.0.0.1:<port>", where the endpoints below are
    key_file         the signing key (PEM)
    cert_file        its certificate (PEM), published in the metadata
    users            [{"username", "password", "email", "name", "groups": [...]}, ...]
    sp_metadata_url  optional: the service provider's metadata (see "Service providers" below)

Endpoints:

    GET  /metadata      the IdP's metadata; its entity id is base_url + "/metadata"
    GET  /sso/redirect  SAMLRequest (+ RelayState) by the HTTP-Redirect binding -> a login form
    POST /login         username, password, request_id, RelayState -> an HTML form that posts
                        SAMLResponse (+ RelayState) to the service provider's ACS (HTTP-POST)

Every Response is signed and so is its Assertion (RSA-SHA256, SHA-256 digests). The subject's
NameID is the user's email (format emailAddress); the attributes, NameFormat "basic" with the
plain names, are `email`, `name`, `uid` (the username) and `groups` (one value per group, left out
when the user has none). The audience is the AuthnRequest's issuer.

Service providers: AuthnRequests need not be signed (a Signature on the redirect is ignored).
Without sp_metadata_url any service provider is accepted: the response goes to the
AssertionConsumerServiceURL of the AuthnRequest, which is then required. With sp_metadata_url the
metadata is fetched when an AuthnRequest comes from an issuer not yet known (so the service
provider may start after the IdP); the issuer must be that metadata's entity, and the ACS URL must
be one of its HTTP-POST AssertionConsumerServices (when the request names none, the first is used).
Either way the IdP releases all four attributes whatever the metadata requests.
"""

from __future__ import annotations

import base64
import hmac
import html
import http.client
import json
import logging
import os
import shutil
import sys
import threading
import traceback
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from saml2 import BINDING_HTTP_POST, BINDING_HTTP_REDIRECT, saml
from saml2.assertion import Policy
from saml2.attribute_converter import AttributeConverter
from saml2.config import IdPConfig
from saml2.metadata import create_metadata_string
from saml2.saml import NAME_FORMAT_BASIC, NAMEID_FORMAT_EMAILADDRESS
from saml2.server import Server
from saml2.xmldsig import DIGEST_SHA256, SIG_RSA_SHA256

from tests.saml_idp.server import CONFIG_ENV

XMLSEC_BINARY = shutil.which("xmlsec1") or "/usr/bin/xmlsec1"
ATTRIBUTES = ("email", "name", "uid", "groups")
PENDING_LIMIT = 1000
# The service provider is local: never ask an HTTP(S)_PROXY of the environment for its metadata.
_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))

logger = logging.getLogger("saml_idp")


class HttpError(Exception):
    def __init__(self, status: str, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


@dataclass
class PendingRequest:
    request_id: str
    sp_entity_id: str
    acs_url: str
    relay_state: str


@dataclass
class IdentityProvider:
    base_url: str
    server: Server
    users: dict[str, dict]
    sp_metadata_url: str | None = None
    pending: dict[str, PendingRequest] = field(default_factory=dict)
    # pysaml2 keeps state (metadata, identifiers): one request at a time uses it.
    lock: threading.Lock = field(default_factory=threading.Lock)

    @property
    def entity_id(self) -> str:
        return f"{self.base_url}/metadata"

    @property
    def sso_url(self) -> str:
        return f"{self.base_url}/sso/redirect"


class AnySpServer(Server):
    """pysaml2's IdP, able to answer a service provider whose metadata it has not got."""

    def has_encrypt_cert_in_metadata(self, sp_entity_id):
        # pysaml2 looks for the SP's encryption certificate even when nothing is encrypted, and
        # fails on an SP it has no metadata of. The test IdP never encrypts.
        return False


def build(config: dict) -> IdentityProvider:
    base_url = config["base_url"].rstrip("/")
    idp_config = IdPConfig()
    idp_config.load(
        {
            "entityid": f"{base_url}/metadata",
            "name": "Paydown test SAML IdP",
            "key_file": config["key_file"],
            "cert_file": config["cert_file"],
            "xmlsec_binary": XMLSEC_BINARY,
            "metadata": {},
            "allow_unknown_attributes": True,
            "signing_algorithm": SIG_RSA_SHA256,
            "digest_algorithm": DIGEST_SHA256,
            "service": {
                "idp": {
                    "endpoints": {
                        "single_sign_on_service": [
                            (f"{base_url}/sso/redirect", BINDING_HTTP_REDIRECT)
                        ],
                    },
                    "name_id_format": [NAMEID_FORMAT_EMAILADDRESS],
                    "want_authn_requests_signed": False,
                    "sign_response": True,
                    "sign_assertion": True,
                },
            },
        }
    )
    server = AnySpServer(config=idp_config)
    # Attributes go out under their plain names with NameFormat basic (pysaml2's own maps would
    # turn "email" and "uid" into OIDs).
    converter = AttributeConverter(NAME_FORMAT_BASIC)
    converter.from_dict(
        {
            "identifier": NAME_FORMAT_BASIC,
            "fro": {name: name for name in ATTRIBUTES},
            "to": {name: name for name in ATTRIBUTES},
        }
    )
    server.config.attribute_converters = [converter]
    return IdentityProvider(
        base_url=base_url,
        server=server,
        users={user["username"]: user for user in config["users"]},
        sp_metadata_url=config.get("sp_metadata_url"),
    )


# -- endpoints ----------------------------------------------------------------------------------


def metadata(idp: IdentityProvider, environ) -> tuple[str, str, str]:
    with idp.lock:
        xml = create_metadata_string(None, config=idp.server.config, sign=False)
    if isinstance(xml, bytes):
        xml = xml.decode("utf-8")
    return "200 OK", "application/samlmetadata+xml; charset=utf-8", xml


def sso_redirect(idp: IdentityProvider, environ) -> tuple[str, str, str]:
    query = _single_values(parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True))
    saml_request = query.get("SAMLRequest")
    if not saml_request:
        raise HttpError("400 Bad Request", "SAMLRequest is missing.")
    relay_state = query.get("RelayState", "")
    with idp.lock:
        try:
            parsed = idp.server.parse_authn_request(saml_request, BINDING_HTTP_REDIRECT)
        except Exception as exc:
            logger.exception("Unreadable AuthnRequest")
            raise HttpError("400 Bad Request", f"Unreadable AuthnRequest: {exc}") from exc
        if parsed is None:
            raise HttpError("400 Bad Request", "Unreadable AuthnRequest.")
        request = parsed.message
        if request.issuer is None or not (request.issuer.text or "").strip():
            raise HttpError("400 Bad Request", "The AuthnRequest has no Issuer.")
        sp_entity_id = request.issuer.text.strip()
        if request.protocol_binding not in (None, BINDING_HTTP_POST):
            raise HttpError(
                "400 Bad Request",
                f"Only the HTTP-POST binding is answered, not {request.protocol_binding}.",
            )
        acs_url = _acs_url(idp, request, sp_entity_id)
        if len(idp.pending) >= PENDING_LIMIT:
            idp.pending.pop(next(iter(idp.pending)))
        idp.pending[request.id] = PendingRequest(request.id, sp_entity_id, acs_url, relay_state)
    logger.info("AuthnRequest %s from %s, ACS %s", request.id, sp_entity_id, acs_url)
    return "200 OK", "text/html; charset=utf-8", _login_page(request.id, relay_state, sp_entity_id)


def login(idp: IdentityProvider, environ) -> tuple[str, str, str]:
    form = _single_values(parse_qs(_read_body(environ), keep_blank_values=True))
    request_id = form.get("request_id", "")
    with idp.lock:
        pending = idp.pending.get(request_id)
    if pending is None:
        raise HttpError("400 Bad Request", "Unknown or already answered authentication request.")
    user = idp.users.get(form.get("username", ""))
    if user is None or not hmac.compare_digest(
        user["password"].encode(), form.get("password", "").encode()
    ):
        page = _login_page(
            pending.request_id,
            pending.relay_state,
            pending.sp_entity_id,
            error="Invalid username or password.",
        )
        return "401 Unauthorized", "text/html; charset=utf-8", page
    with idp.lock:
        if idp.pending.pop(request_id, None) is None:
            raise HttpError(
                "400 Bad Request", "Unknown or already answered authentication request."
            )
        response = _signed_response(idp, pending, user)
    logger.info("Signed response to %s for %s at %s", request_id, user["email"], pending.acs_url)
    encoded = _b64(response)
    return (
        "200 OK",
        "text/html; charset=utf-8",
        _post_page(pending.acs_url, encoded, pending.relay_state),
    )


ROUTES = {
    ("GET", "/metadata"): metadata,
    ("GET", "/sso/redirect"): sso_redirect,
    ("POST", "/login"): login,
}


# -- helpers ------------------------------------------------------------------------------------


def _acs_url(idp: IdentityProvider, request, sp_entity_id: str) -> str:
    requested = (request.assertion_consumer_service_url or "").strip()
    if not idp.sp_metadata_url:
        if not requested:
            raise HttpError(
                "400 Bad Request",
                "The AuthnRequest names no AssertionConsumerServiceURL and no SP metadata is configured.",
            )
        return requested
    _load_sp_metadata(idp, sp_entity_id)
    known = [
        acs["location"].strip()
        for acs in idp.server.metadata.assertion_consumer_service(sp_entity_id, BINDING_HTTP_POST)
    ]
    if requested:
        if requested not in known:
            raise HttpError(
                "400 Bad Request",
                f"{requested} is not an HTTP-POST AssertionConsumerService of {sp_entity_id}.",
            )
        return requested
    if not known:
        raise HttpError(
            "400 Bad Request", f"{sp_entity_id} has no HTTP-POST AssertionConsumerService."
        )
    return known[0]


def _load_sp_metadata(idp: IdentityProvider, sp_entity_id: str) -> None:
    """Fetch the SP's metadata unless its entity is known already (call with idp.lock held)."""
    if _knows(idp, sp_entity_id):
        return
    try:
        with _NO_PROXY.open(idp.sp_metadata_url, timeout=10) as answer:
            xml = answer.read().decode("utf-8")
    except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
        raise HttpError(
            "502 Bad Gateway", f"The SP metadata at {idp.sp_metadata_url} is unavailable: {exc}"
        ) from exc
    idp.server.metadata.load("inline", xml)
    if not _knows(idp, sp_entity_id):
        raise HttpError(
            "403 Forbidden",
            f"{sp_entity_id} is not the entity of the SP metadata at {idp.sp_metadata_url}.",
        )


def _knows(idp: IdentityProvider, entity_id: str) -> bool:
    try:
        idp.server.metadata[entity_id]
    except KeyError:
        return False
    return True


def _signed_response(idp: IdentityProvider, pending: PendingRequest, user: dict) -> str:
    identity = {
        "email": [user["email"]],
        "name": [user.get("name") or user["username"]],
        "uid": [user["username"]],
    }
    groups = list(user.get("groups") or [])
    if groups:
        identity["groups"] = groups
    # No metadata store in the policy: every attribute is released whatever the SP requests.
    policy = Policy({"default": {"lifetime": {"minutes": 5}, "name_form": NAME_FORMAT_BASIC}})
    response = idp.server.create_authn_response(
        identity,
        in_response_to=pending.request_id,
        destination=pending.acs_url,
        sp_entity_id=pending.sp_entity_id,
        name_id=saml.NameID(format=NAMEID_FORMAT_EMAILADDRESS, text=user["email"]),
        authn={"class_ref": saml.AUTHN_PASSWORD_PROTECTED, "authn_auth": idp.entity_id},
        release_policy=policy,
        sign_response=True,
        sign_assertion=True,
        sign_alg=SIG_RSA_SHA256,
        digest_alg=DIGEST_SHA256,
    )
    return str(response)


def _b64(xml: str) -> str:
    return base64.b64encode(xml.encode("utf-8")).decode("ascii")


def _page(title: str, body: str) -> str:
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f"<title>{html.escape(title)}</title></head>\n"
        f"<body>\n<h1>{html.escape(title)}</h1>\n{body}\n</body></html>\n"
    )


def _login_page(request_id: str, relay_state: str, sp_entity_id: str, error: str = "") -> str:
    alert = f'<p role="alert">{html.escape(error)}</p>\n' if error else ""
    return _page(
        "Test SAML IdP sign-in",
        f"<p>Sign in to continue to {html.escape(sp_entity_id)}.</p>\n{alert}"
        '<form method="post" action="/login">\n'
        f'<input type="hidden" name="request_id" value="{html.escape(request_id)}">\n'
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">\n'
        '<p><label for="username">Username</label>\n'
        '<input id="username" name="username" autocomplete="username" required></p>\n'
        '<p><label for="password">Password</label>\n'
        '<input id="password" name="password" type="password" autocomplete="current-password"'
        " required></p>\n"
        '<p><button type="submit">Log in</button></p>\n'
        "</form>",
    )


def _post_page(acs_url: str, saml_response: str, relay_state: str) -> str:
    relay = (
        f'<input type="hidden" name="RelayState" value="{html.escape(relay_state)}">\n'
        if relay_state
        else ""
    )
    return _page(
        "Signing you in",
        f'<form id="saml-post" method="post" action="{html.escape(acs_url)}">\n'
        f'<input type="hidden" name="SAMLResponse" value="{html.escape(saml_response)}">\n'
        f"{relay}"
        '<p><button type="submit">Continue</button></p>\n'
        "</form>\n"
        "<script>document.getElementById('saml-post').submit();</script>",
    )


def _single_values(parsed: dict[str, list[str]]) -> dict[str, str]:
    return {key: values[0] for key, values in parsed.items()}


def _read_body(environ) -> str:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    return environ["wsgi.input"].read(length).decode("utf-8") if length > 0 else ""


# -- WSGI ---------------------------------------------------------------------------------------

_idp: IdentityProvider | None = None
_idp_lock = threading.Lock()


def _get_idp() -> IdentityProvider:
    global _idp
    with _idp_lock:
        if _idp is None:
            logging.basicConfig(
                level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(name)s %(message)s"
            )
            logging.getLogger("saml2").setLevel(logging.WARNING)
            with open(os.environ[CONFIG_ENV], encoding="utf-8") as config_file:
                _idp = build(json.load(config_file))
        return _idp


def application(environ, start_response):
    method, path = environ.get("REQUEST_METHOD", "GET"), environ.get("PATH_INFO", "/")
    try:
        view = ROUTES.get((method, path))
        if view is None:
            known = any(route_path == path for _, route_path in ROUTES)
            raise HttpError(
                "405 Method Not Allowed" if known else "404 Not Found", f"{method} {path}"
            )
        status, content_type, body = view(_get_idp(), environ)
    except HttpError as exc:
        logger.warning("%s: %s", exc.status, exc.message)
        status, content_type, body = exc.status, "text/plain; charset=utf-8", exc.message + "\n"
    except Exception:
        traceback.print_exc(file=sys.stderr)
        status, content_type = "500 Internal Server Error", "text/plain; charset=utf-8"
        body = "Internal error of the test SAML IdP; see its log.\n"
    data = body.encode("utf-8")
    start_response(
        status,
        [
            ("Content-Type", content_type),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
        ],
    )
    return [data]


def main() -> None:
    """Serve with wsgiref (when gunicorn is not installed): python -m tests.saml_idp.app PORT."""
    from socketserver import ThreadingMixIn
    from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

    class ThreadingServer(ThreadingMixIn, WSGIServer):
        daemon_threads = True

    port = int(sys.argv[1])
    with make_server(
        "127.0.0.1",
        port,
        application,
        server_class=ThreadingServer,
        handler_class=WSGIRequestHandler,
    ) as httpd:
        print(f"Serving the test SAML IdP on http://127.0.0.1:{port}", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
