"""Bearer tokens: only RS256/ES256 signed by a known key, for us, from our issuer, in time."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import RSAAlgorithm
from tianmen_gateway.identity.keys import public_jwk
from tianmen_gateway.identity.principal import Principal, Role
from tianmen_gateway.identity.verifier import InvalidToken, StaticKeys, TokenVerifier

KEY = ec.generate_private_key(ec.SECP256R1())
JWK = public_jwk(KEY)
ISS, AUD = "urn:tianmen:test", "tianmen-api"
VERIFIER = TokenVerifier(StaticKeys({"keys": [JWK]}), ISS, AUD, leeway_s=5)


def claims(**changes: Any) -> dict[str, Any]:
    """Good claims, valid for five minutes from now (not from import: suites run long)."""
    good = {
        "iss": ISS,
        "aud": AUD,
        "sub": "u-1",
        "exp": datetime.now(UTC) + timedelta(minutes=5),
        "tianmen_role": "township_staff",
        "jurisdiction": "429006100",
    }
    return {**good, **changes}


def sign(claims: dict[str, Any], key: Any = KEY, alg: str = "ES256", kid: str = JWK["kid"]) -> str:
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": kid})


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def handmade(header: dict[str, Any], claims: dict[str, Any], signature: bytes = b"") -> str:
    body = {k: int(v.timestamp()) if isinstance(v, datetime) else v for k, v in claims.items()}
    head = b64(json.dumps(header).encode()) + "." + b64(json.dumps(body).encode())
    return head + "." + b64(signature)


def test_a_valid_token_names_the_principal() -> None:
    assert VERIFIER.verify(sign(claims())) == Principal(
        subject="u-1", role=Role.TOWNSHIP_STAFF, jurisdiction="429006100"
    )


def test_rs256_from_a_jwks_is_accepted_as_keycloak_signs_it() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    rsa_jwk = {**RSAAlgorithm.to_jwk(rsa_key.public_key(), as_dict=True), "kid": "kc-1"}
    verifier = TokenVerifier(StaticKeys({"keys": [rsa_jwk]}), ISS, AUD)
    token = sign(claims(), rsa_key, "RS256", "kc-1")
    assert verifier.verify(token).role is Role.TOWNSHIP_STAFF


def test_alg_none_is_refused() -> None:
    token = handmade({"alg": "none", "typ": "JWT", "kid": JWK["kid"]}, claims())
    with pytest.raises(InvalidToken, match="algorithm"):
        VERIFIER.verify(token)


def test_hs256_signed_with_the_public_key_is_refused() -> None:
    public_pem = KEY.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    header = {"alg": "HS256", "typ": "JWT", "kid": JWK["kid"]}
    unsigned = handmade(header, claims()).rsplit(".", 1)[0]
    mac = hmac.new(public_pem, unsigned.encode(), hashlib.sha256).digest()
    with pytest.raises(InvalidToken, match="algorithm"):
        VERIFIER.verify(unsigned + "." + b64(mac))


def test_rs256_claimed_on_an_ec_key_is_refused() -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    with pytest.raises(InvalidToken):
        VERIFIER.verify(sign(claims(), rsa_key, "RS256"))


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"exp": datetime(2026, 1, 1, tzinfo=UTC)}, "expired"),
        ({"aud": "another-api"}, "(?i)audience"),
        ({"iss": "urn:someone:else"}, "(?i)issuer"),
        ({"tianmen_role": "superuser"}, "role"),
    ],
)
def test_a_token_not_for_us_or_out_of_time_is_refused(changes: dict[str, Any], reason: str) -> None:
    with pytest.raises(InvalidToken, match=reason):
        VERIFIER.verify(sign(claims(**changes)))


@pytest.mark.parametrize("claim", ["exp", "iss", "aud", "sub"])
def test_each_required_claim_must_be_there(claim: str) -> None:
    without = {k: v for k, v in claims().items() if k != claim}
    with pytest.raises(InvalidToken):
        VERIFIER.verify(sign(without))


def test_an_unknown_kid_is_refused() -> None:
    with pytest.raises(InvalidToken, match="unknown key id"):
        VERIFIER.verify(sign(claims(), kid="not-ours"))


def test_a_key_we_do_not_hold_under_our_kid_is_refused() -> None:
    stranger = ec.generate_private_key(ec.SECP256R1())
    with pytest.raises(InvalidToken, match="Signature"):
        VERIFIER.verify(sign(claims(), stranger))


def test_a_tampered_payload_is_refused() -> None:
    head, _, signature = sign(claims()).split(".")
    forged = claims(tianmen_role="auditor")
    payload = handmade({}, forged).split(".")[1]
    with pytest.raises(InvalidToken, match="Signature"):
        VERIFIER.verify(f"{head}.{payload}.{signature}")


def test_a_small_leeway_tolerates_clock_skew() -> None:
    just_expired = datetime.now(UTC) - timedelta(seconds=2)
    assert VERIFIER.verify(sign(claims(exp=just_expired))).subject == "u-1"
