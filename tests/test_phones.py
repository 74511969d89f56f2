"""Phone numbers (csm/phones.py): the common ways of typing one are accepted and stored in one
form; obviously wrong ones are refused with a Chinese message."""

import pytest

from csm import phones
from csm.errors import UserError
from csm.i18n import t

ACCEPTED = [
    ("+86 138 0013 8000", "13800138000"),
    ("138-0013-8000", "13800138000"),
    ("１３８００１３８０００", "13800138000"),        # full-width digits
    ("0086 13800138000", "13800138000"),
    ("8613800138000", "13800138000"),
    (" 13800138000 ", "13800138000"),
    ("010-8888 6666", "010-88886666"),
    ("(0755)86668888", "0755-86668888"),
    ("（0755）8666 8888", "0755-86668888"),        # full-width brackets
    ("0755-86668888转123", "0755-86668888-123"),
    ("010-88886666-12", "010-88886666-12"),
    ("021 6234 5678 ext 88", "021-62345678-88"),
    ("+86 10 88886666", "010-88886666"),
    ("0571-8765432", "0571-8765432"),              # a seven-digit local number
    ("88886666", "88886666"),                      # without the area code
    ("400-810-8888", "400-810-8888"),
    ("", ""),
]
REFUSED = ["0000000", "00000000000", "11111111111", "8888888", "1380013800", "138001380001",
           "13800138000转1", "013-80013800", "0000-1234567", "010-00000000", "1234567", "abc",
           "138OO138OOO", "+1 415 555 1234", "1" * 60]


@pytest.mark.parametrize(("typed", "stored"), ACCEPTED)
def test_common_formats_are_accepted_and_normalised(typed, stored):
    assert phones.normalise(typed) == stored
    assert phones.problem(typed) is None


@pytest.mark.parametrize("typed", REFUSED)
def test_wrong_numbers_are_refused_in_chinese(typed):
    with pytest.raises(UserError) as info:
        phones.normalise(typed, field="phone")
    message = info.value.message()
    assert message.startswith(t("field.phone") + ": 电话号码「")
    assert "无效" in message


def test_stored_keeps_an_older_contact_as_typed():
    """A contact copied from an older record (not valid under today's rule) is kept, not lost."""
    assert phones.stored("6-1234") == "6-1234"
    assert phones.stored("138 0013 8000") == "13800138000"
