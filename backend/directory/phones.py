"""Mobile numbers: parsed with Google's libphonenumber, stored in E.164.

A number without a country code is read as Chinese (13812345678 → +8613812345678). SMS
needs a mobile number, so a valid landline is refused with its own message.
"""

from __future__ import annotations

import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

_MOBILE_TYPES = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}


def normalise_mobile(raw: str) -> str:
    text = (raw or "").strip()
    if not text:
        raise ValidationError(_("A mobile number is required."), code="required")
    try:
        number = phonenumbers.parse(text, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        raise ValidationError(
            _("“%(raw)s” is not a phone number. Enter a mobile such as 13812345678 or +8613812345678.") % {"raw": text},
            code="invalid",
        ) from None
    if not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(raw)s” is not a valid mobile number (wrong length or unknown prefix).") % {"raw": text},
            code="invalid",
        )
    if phonenumbers.number_type(number) not in _MOBILE_TYPES:
        raise ValidationError(
            _("“%(raw)s” is a landline or service number; SMS alerts need a mobile number.") % {"raw": text},
            code="not_mobile",
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
