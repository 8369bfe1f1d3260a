"""The test SAML identity provider works on its own: an SP-initiated sign-in driven with requests
(no browser, no Paydown), its response then checked as a service provider would with
python3-saml, which must accept it only while the assertion's signature holds."""

from __future__ import annotations

import base64
import copy
import threading
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
import requests
from lxml import etree
from onelogin.saml2.authn_request import OneLogin_Saml2_Authn_Request
from onelogin.saml2.constants import OneLogin_Saml2_Constants
from onelogin.saml2.idp_metadata_parser import OneLogin_Saml2_IdPMetadataParser
from onelogin.saml2.response import OneLogin_Saml2_Response
from onelogin.saml2.settings import OneLogin_Saml2_Settings

from tests.saml_idp import certs
from tests.saml_idp.server import require_xmlsec1, start_idp

SP_ENTITY_ID = "http://127.0.0.1:9/sp"
ACS_URL = "http://127.0.0.1:9/acs"  # never called: the test reads the form that would post to it
USER = {
    "username": "dana",
    "password": "dana-idp-password",
    "email": "dana@example.com",
    "name": "Dana Scully",
    "groups": ["paydown-search-managers", "staff"],
}
NS = {
    "samlp": OneLogin_Saml2_Constants.NS_SAMLP,
    "saml": OneLogin_Saml2_Constants.NS_SAML,
    "ds": OneLogin_Saml2_Constants.NS_DS,
}


@pytest.fixture(scope="module")
def idp(tmp_path_factory):
    require_xmlsec1()
    with start_idp(tmp_path_factory.mktemp("saml-idp"), users=[USER]) as idp:
        yield idp


@pytest.fixture
def http():
    with requests.Session() as session:
        session.trust_env = False  # the IdP is local: no proxy from the environment
        yield session


def sp_settings(idp, *, sp_entity_id=SP_ENTITY_ID, acs_url=ACS_URL, x509cert=None) -> dict:
    """python3-saml settings of an SP that trusts idp and wants its assertions signed."""
    return {
        "strict": True,
        "debug": False,
        "sp": {
            "entityId": sp_entity_id,
            "assertionConsumerService": {
                "url": acs_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_POST,
            },
            "NameIDFormat": OneLogin_Saml2_Constants.NAMEID_EMAIL_ADDRESS,
        },
        "idp": {
            "entityId": idp.entity_id,
            "singleSignOnService": {
                "url": idp.sso_url,
                "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
            },
            "x509cert": x509cert or idp.certificate_body,
        },
        "security": {
            "authnRequestsSigned": False,
            "wantAssertionsSigned": True,
            "wantMessagesSigned": False,
            "wantNameId": True,
            "wantAttributeStatement": True,
            "rejectDeprecatedAlgorithm": True,
        },
    }


def acs_request_data(saml_response: str, acs_url: str = ACS_URL) -> dict:
    """What python3-saml needs of the request that reached the ACS."""
    url = urlsplit(acs_url)
    return {
        "https": "on" if url.scheme == "https" else "off",
        "http_host": url.netloc,
        "script_name": url.path,
        "get_data": {},
        "post_data": {"SAMLResponse": saml_response},
    }


class FormParser(HTMLParser):
    """The forms of a page: action, method, inputs by name, labels and buttons' text."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self.labels: dict[str, str] = {}
        self._label_for = None
        self._button = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append(
                {"action": attrs.get("action"), "method": attrs.get("method"), "inputs": {}}
            )
            self.forms[-1]["buttons"] = []
        elif tag == "input" and self.forms:
            self.forms[-1]["inputs"][attrs.get("name")] = attrs
        elif tag == "label":
            self._label_for = attrs.get("for")
            self.labels[self._label_for] = ""
        elif tag == "button" and self.forms:
            self._button = ""

    def handle_data(self, data):
        if self._label_for is not None:
            self.labels[self._label_for] += data
        if self._button is not None:
            self._button += data

    def handle_endtag(self, tag):
        if tag == "label":
            self._label_for = None
        elif tag == "button" and self._button is not None:
            self.forms[-1]["buttons"].append(self._button.strip())
            self._button = None


def parse_forms(page: str) -> FormParser:
    parser = FormParser()
    parser.feed(page)
    return parser


def authn_request(settings: dict) -> OneLogin_Saml2_Authn_Request:
    return OneLogin_Saml2_Authn_Request(OneLogin_Saml2_Settings(settings))


def sign_in(http, idp, request: OneLogin_Saml2_Authn_Request, relay_state: str) -> dict:
    """GET the SSO URL, then POST the login form; returns the form that goes to the ACS."""
    login_page = http.get(
        idp.sso_url,
        params={"SAMLRequest": request.get_request(), "RelayState": relay_state},
        timeout=10,
    )
    assert login_page.status_code == 200, login_page.text
    page = parse_forms(login_page.text)
    assert page.labels == {"username": "Username", "password": "Password"}
    (form,) = page.forms
    assert form["buttons"] == ["Log in"]
    assert form["method"] == "post" and form["action"] == "/login"
    fields = {name: attrs.get("value", "") for name, attrs in form["inputs"].items()}
    assert fields["request_id"] == request.get_id()
    assert fields["RelayState"] == relay_state
    fields.update(username=USER["username"], password=USER["password"])

    answer = http.post(f"{idp.base_url}/login", data=fields, timeout=10)
    assert answer.status_code == 200, answer.text
    (post_form,) = parse_forms(answer.text).forms
    assert post_form["method"] == "post"
    assert post_form["buttons"] == ["Continue"]  # works without JavaScript too
    return post_form


def tamper(saml_response: str, change) -> str:
    root = etree.fromstring(base64.b64decode(saml_response))
    change(root)
    return base64.b64encode(etree.tostring(root)).decode("ascii")


def test_metadata_describes_sso_and_signing_certificate(idp, http):
    answer = http.get(idp.metadata_url, timeout=10)
    assert answer.status_code == 200
    parsed = OneLogin_Saml2_IdPMetadataParser.parse(answer.text)["idp"]
    assert parsed["entityId"] == idp.entity_id == idp.metadata_url
    assert parsed["singleSignOnService"] == {
        "url": idp.sso_url,
        "binding": OneLogin_Saml2_Constants.BINDING_HTTP_REDIRECT,
    }
    assert parsed["x509cert"] == idp.certificate_body
    assert idp.certificate_pem.startswith("-----BEGIN CERTIFICATE-----")


def test_sign_in_gives_a_response_the_sp_accepts_only_with_its_assertion_signature(idp, http):
    settings = sp_settings(idp)
    request = authn_request(settings)
    form = sign_in(http, idp, request, relay_state="/after/login?x=1")
    assert form["action"] == ACS_URL
    assert form["inputs"]["RelayState"]["value"] == "/after/login?x=1"
    saml_response = form["inputs"]["SAMLResponse"]["value"]

    def validate(encoded: str, sp: dict = settings) -> OneLogin_Saml2_Response:
        response = OneLogin_Saml2_Response(OneLogin_Saml2_Settings(sp), encoded)
        response.valid = response.is_valid(acs_request_data(encoded), request.get_id())
        return response

    response = validate(saml_response)
    assert response.valid, response.get_error()
    assert response.get_nameid() == USER["email"]
    assert response.get_nameid_format() == OneLogin_Saml2_Constants.NAMEID_EMAIL_ADDRESS
    assert response.get_issuers() == [idp.entity_id]
    assert response.get_audiences() == [SP_ENTITY_ID]
    assert response.get_attributes() == {
        "email": [USER["email"]],
        "name": [USER["name"]],
        "uid": [USER["username"]],
        "groups": USER["groups"],
    }
    xml = etree.fromstring(base64.b64decode(saml_response))
    assert xml.get("InResponseTo") == request.get_id()
    assert xml.get("Destination") == ACS_URL
    assert xml.find("ds:Signature", NS) is not None, "the response is signed"
    assert xml.find("saml:Assertion/ds:Signature", NS) is not None, "so is its assertion"
    # The SP that also wants the message signed accepts it too.
    strict = copy.deepcopy(settings)
    strict["security"]["wantMessagesSigned"] = True
    assert validate(saml_response, strict).valid

    def change_email(root):
        for element in root.iter():
            if element.text == USER["email"]:
                element.text = "mallory@example.com"

    def drop_signatures(*paths):
        def change(root):
            for path in paths:
                signature = root.find(path, NS)
                signature.getparent().remove(signature)

        return change

    signature_broken = "Signature validation failed"
    assertion_unsigned = "The Assertion of the Response is not signed and the SP require it"
    forged = {
        "email changed": (tamper(saml_response, change_email), signature_broken),
        "assertion signature removed": (
            tamper(saml_response, drop_signatures("saml:Assertion/ds:Signature")),
            assertion_unsigned,
        ),
        "both signatures removed": (
            tamper(saml_response, drop_signatures("saml:Assertion/ds:Signature", "ds:Signature")),
            assertion_unsigned,
        ),
        "only the assertion signed, then changed": (
            tamper(
                saml_response,
                lambda root: (drop_signatures("ds:Signature")(root), change_email(root)),
            ),
            signature_broken,
        ),
    }
    for what, (encoded, error) in forged.items():
        response = validate(encoded)
        assert not response.valid, what
        assert error in response.get_error(), (what, response.get_error())
    # The untouched response alone, with only the assertion's signature left, still holds.
    assertion_signed_only = tamper(saml_response, drop_signatures("ds:Signature"))
    assert validate(assertion_signed_only).valid
    assert not validate(assertion_signed_only, strict).valid  # that SP wants the response signed

    # Another IdP's certificate does not verify it.
    other = certs.generate(idp.key_path.parent / "other")
    assert not validate(saml_response, sp_settings(idp, x509cert=other.certificate_body)).valid


def test_wrong_password_unknown_and_replayed_requests_are_refused(idp, http):
    request = authn_request(sp_settings(idp))
    login_page = http.get(idp.sso_url, params={"SAMLRequest": request.get_request()}, timeout=10)
    (form,) = parse_forms(login_page.text).forms
    fields = {name: attrs.get("value", "") for name, attrs in form["inputs"].items()}

    wrong = http.post(
        f"{idp.base_url}/login",
        data={**fields, "username": USER["username"], "password": "wrong"},
        timeout=10,
    )
    assert wrong.status_code == 401
    assert "Invalid username or password." in wrong.text
    assert "SAMLResponse" not in wrong.text

    right = {**fields, "username": USER["username"], "password": USER["password"]}
    assert http.post(f"{idp.base_url}/login", data=right, timeout=10).status_code == 200
    replayed = http.post(f"{idp.base_url}/login", data=right, timeout=10)
    assert replayed.status_code == 400
    unknown = http.post(f"{idp.base_url}/login", data={**right, "request_id": "_x"}, timeout=10)
    assert unknown.status_code == 400
    assert (
        http.get(idp.sso_url, params={"SAMLRequest": "bm90IFNBTUw="}, timeout=10).status_code == 400
    )


@pytest.fixture
def sp_metadata_server():
    """Serves, at its .url, the metadata (python3-saml's) of whatever SP settings .settings holds;
    404 until it holds some, as when the SP is not up yet."""
    state = {"settings": None}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if state["settings"] is None:
                self.send_error(404)
                return
            sp = OneLogin_Saml2_Settings(state["settings"], sp_validation_only=True)
            body = sp.get_sp_metadata()
            if isinstance(body, str):
                body = body.encode("utf-8")
            self.send_response(200)
            self.send_header("Content-Type", "application/samlmetadata+xml")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    server.url = f"http://127.0.0.1:{server.server_address[1]}/sp/metadata"
    server.state = state
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def test_with_sp_metadata_only_that_sp_and_its_acs_are_answered(tmp_path, http, sp_metadata_server):
    sp_entity_id = sp_metadata_server.url
    acs_url = sp_metadata_server.url.replace("/sp/metadata", "/sp/acs")
    with start_idp(tmp_path, users=[USER], sp_metadata_url=sp_metadata_server.url) as idp:
        settings = sp_settings(idp, sp_entity_id=sp_entity_id, acs_url=acs_url)
        # The SP's metadata is fetched at its first request, not when the IdP starts.
        sp_metadata_server.state["settings"] = settings
        request = authn_request(settings)
        form = sign_in(http, idp, request, relay_state="")
        assert form["action"] == acs_url
        assert "RelayState" not in form["inputs"]
        encoded = form["inputs"]["SAMLResponse"]["value"]
        response = OneLogin_Saml2_Response(OneLogin_Saml2_Settings(settings), encoded)
        assert response.is_valid(acs_request_data(encoded, acs_url), request.get_id()), (
            response.get_error()
        )
        assert response.get_attributes()["groups"] == USER["groups"]

        elsewhere = authn_request(sp_settings(idp, sp_entity_id=sp_entity_id, acs_url=ACS_URL))
        answer = http.get(idp.sso_url, params={"SAMLRequest": elsewhere.get_request()}, timeout=10)
        assert answer.status_code == 400
        assert "is not an HTTP-POST AssertionConsumerService" in answer.text

        stranger = authn_request(sp_settings(idp))
        answer = http.get(idp.sso_url, params={"SAMLRequest": stranger.get_request()}, timeout=10)
        assert answer.status_code == 403
