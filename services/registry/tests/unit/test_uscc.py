"""GB 32100-2015 validation of the unified social credit code."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tianmen_registry.domain.uscc import (
    CHARSET,
    ENTITY_TYPES,
    InvalidUscc,
    check_character,
    division_code,
    organization_check_character,
    validate_uscc,
    with_check_character,
)

# Published codes: python-stdnum's example, Huawei Technologies Co., Ltd., and a public
# institution (事业单位) quoted in an issue of xbeginagain/generator.
REAL_CODES = ["91110000600037341L", "914403001922038216", "12440600MB2C07549J"]


@st.composite
def significant_prefixes(draw: st.DrawFn) -> str:
    """The 16 characters a registry chooses: authority, type, division, organization body."""
    authority = draw(st.sampled_from(sorted(ENTITY_TYPES)))
    entity_type = draw(st.sampled_from(ENTITY_TYPES[authority]))
    division = draw(st.text("0123456789", min_size=6, max_size=6))
    body = draw(st.text(CHARSET, min_size=8, max_size=8))
    return authority + entity_type + division + body


def _reason(code: str) -> str:
    with pytest.raises(InvalidUscc) as refused:
        validate_uscc(code)
    assert refused.value.field == "uscc"
    return refused.value.detail


@pytest.mark.parametrize("code", REAL_CODES)
def test_published_codes_are_valid(code: str) -> None:
    assert validate_uscc(code) == code


def test_code_is_trimmed_and_upper_cased() -> None:
    assert validate_uscc("  12440600mb2c07549j ") == "12440600MB2C07549J"


def test_division_code_is_characters_three_to_eight() -> None:
    assert division_code("914403001922038216") == "440300"


def test_wrong_length_is_named() -> None:
    assert _reason("91440300192203821") == "a USCC has 18 characters, got 17"


@pytest.mark.parametrize(
    ("code", "position", "char"),
    [
        ("91440300192203821I", 18, "I"),
        ("9144030019220382I6", 17, "I"),
        ("91440300O92203821_", 9, "O"),
        ("914403Z01922038216", 7, "Z"),
        ("91440A001922038216", 6, "A"),
    ],
)
def test_illegal_character_names_its_position(code: str, position: int, char: str) -> None:
    assert _reason(code).startswith(f"illegal character {char!r} at position {position}")


def test_unknown_registration_authority_is_refused() -> None:
    assert "registration-authority code 'B' at position 1" in _reason("B14403001922038216")


def test_entity_type_must_belong_to_the_authority() -> None:
    assert "entity-type code '5' at position 2" in _reason("954403001922038216")


def test_wrong_check_character_names_the_expected_one() -> None:
    assert _reason("914403001922038217") == (
        "wrong check character at position 18: expected 6, got 7"
    )


def test_organization_code_check_character_is_verified() -> None:
    # 91110000100000589B circulates as an example; its organization code 10000058-9 should be -5
    assert _reason("91110000100000589B").startswith(
        "wrong organization-code check character at position 17: expected 5"
    )


def test_organization_check_character_maps_ten_to_x_and_eleven_to_zero() -> None:
    assert organization_check_character("71093123") == "X"
    assert organization_check_character("00000000") == "0"


def test_with_check_character_replaces_a_placeholder_seventeenth_character() -> None:
    assert with_check_character("91440300192203829") == "914403001922038216"
    assert with_check_character("9144030019220382") == "914403001922038216"


def test_with_check_character_refuses_an_ill_formed_prefix() -> None:
    with pytest.raises(InvalidUscc):
        with_check_character("0044030019220382")


@given(significant_prefixes())
def test_completed_prefix_validates(prefix: str) -> None:
    code = with_check_character(prefix)
    assert validate_uscc(code) == code
    assert validate_uscc(code.lower()) == code
    assert code[17] == check_character(code[:17])


@given(significant_prefixes(), st.sampled_from(CHARSET))
def test_any_other_check_character_is_refused(prefix: str, replacement: str) -> None:
    code = with_check_character(prefix)
    if replacement != code[17]:
        assert "check character at position 18" in _reason(code[:17] + replacement)


@given(significant_prefixes(), st.integers(0, 16), st.sampled_from(CHARSET))
def test_any_single_substitution_is_detected(prefix: str, index: int, char: str) -> None:
    code = with_check_character(prefix)
    if char != code[index]:
        with pytest.raises(InvalidUscc):
            validate_uscc(code[:index] + char + code[index + 1 :])
