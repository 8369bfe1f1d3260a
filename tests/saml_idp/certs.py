"""A self-signed RSA key and certificate for the test identity provider to sign with."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID


@dataclass(frozen=True)
class KeyPair:
    key_path: Path  # unencrypted PKCS#8 PEM
    cert_path: Path  # PEM
    certificate_pem: str

    @property
    def certificate_body(self) -> str:
        """The certificate's base64 body on one line, without the PEM header and footer."""
        return certificate_body(self.certificate_pem)


def certificate_body(pem: str) -> str:
    return "".join(line.strip() for line in pem.splitlines() if line and "-----" not in line)


def generate(directory: Path, *, common_name: str = "Paydown test SAML IdP") -> KeyPair:
    """Write saml-idp.key and saml-idp.crt (RSA 2048, SHA-256, valid for a year) into directory."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_path = directory / "saml-idp.key"
    cert_path = directory / "saml-idp.crt"
    key_path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    key_path.chmod(0o600)
    certificate_pem = certificate.public_bytes(serialization.Encoding.PEM).decode("ascii")
    cert_path.write_text(certificate_pem)
    return KeyPair(key_path=key_path, cert_path=cert_path, certificate_pem=certificate_pem)
