"""API throttles whose rates come from API_THROTTLE_ANON / API_THROTTLE_USER at request time.

DRF binds DEFAULT_THROTTLE_RATES when its classes are defined, so a setting changed later
(tests, override_settings) would not be seen; these read the setting on each request. An empty
rate switches the throttle off (the test settings do, since suites log in many times). The
client is identified by its address as the login lockout sees it: X-Forwarded-For only from
TRUSTED_PROXIES.
"""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

from .client_address import client_address


class _SettingRate:
    setting_name = ""

    def __init__(self):  # the rate is read per request, not here
        pass

    def get_ident(self, request):
        return client_address(request)

    def allow_request(self, request, view):
        rate = getattr(settings, self.setting_name, "") or ""
        if not rate:
            return True
        self.rate = rate
        self.num_requests, self.duration = self.parse_rate(rate)
        return super().allow_request(request, view)


class AnonThrottle(_SettingRate, AnonRateThrottle):
    setting_name = "API_THROTTLE_ANON"


class UserThrottle(_SettingRate, UserRateThrottle):
    setting_name = "API_THROTTLE_USER"
