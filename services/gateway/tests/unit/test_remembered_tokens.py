"""A verified bearer token is remembered until it expires; nothing else is ever remembered."""

from __future__ import annotations

import asyncio
import time
from datetime import UTC, datetime, timedelta

import jwt
import pytest
from tianmen_gateway.identity.remembered import RememberedTokens
from tianmen_gateway.identity.verifier import InvalidToken, StaticKeys, TokenVerifier

from .test_token_verifier import AUD, ISS, JWK, claims, sign


class CountingKeys(StaticKeys):
    """The issuer's keys, counting how often a signature check asks for one."""

    def __init__(self) -> None:
        super().__init__({"keys": [JWK]})
        self.asked = 0

    def key_for(self, kid: str) -> jwt.PyJWK:
        self.asked += 1
        return super().key_for(kid)


def remembered(leeway_s: float = 5) -> tuple[RememberedTokens, CountingKeys]:
    keys = CountingKeys()
    return RememberedTokens(TokenVerifier(keys, ISS, AUD, leeway_s=leeway_s)), keys


def test_a_token_is_verified_once_and_then_answered_from_memory() -> None:
    tokens, keys = remembered()
    token = sign(claims())
    first = asyncio.run(tokens.principal(token))
    again = asyncio.run(tokens.principal(token))
    assert again == first and first.subject == "u-1"
    assert keys.asked == 1


def test_a_changed_byte_is_another_token_verified_in_full_and_refused() -> None:
    tokens, keys = remembered()
    token = sign(claims())
    asyncio.run(tokens.principal(token))
    head, payload, signature = token.split(".")
    # The signature's first character carries six whole bits: any other letter is still valid
    # base64url, so the token is read and its signature checked (and fails). Its last characters
    # carry padding bits, and a changed one can be refused before any key is asked ("Invalid
    # crypto padding"): 1 token in ~256 ended in "AA", became "BB" and failed this test.
    tampered = f"{head}.{payload}.{'B' if signature[0] == 'A' else 'A'}{signature[1:]}"
    with pytest.raises(InvalidToken):
        asyncio.run(tokens.principal(tampered))
    with pytest.raises(InvalidToken):  # a refusal is not remembered either
        asyncio.run(tokens.principal(tampered))
    assert keys.asked == 3


def test_a_remembered_token_is_refused_once_it_expires() -> None:
    tokens, _ = remembered(leeway_s=0)
    expires = datetime.now(UTC) + timedelta(seconds=1.5)  # jwt's exp is whole seconds
    token = sign(claims(exp=expires))
    asyncio.run(tokens.principal(token))
    time.sleep(max(0.0, int(expires.timestamp()) - time.time()) + 0.1)
    with pytest.raises(InvalidToken, match="expired"):
        asyncio.run(tokens.principal(token))
