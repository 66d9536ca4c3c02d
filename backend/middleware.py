"""Language choice: Simplified Chinese unless the user picked English.

Django's LocaleMiddleware would follow the browser's Accept-Language, and most browsers on
bureau PCs (and headless ones) send English first; the product is Chinese first, so only an
explicit choice (the language cookie set by /i18n/setlang/) changes the language.
"""

from django.conf import settings
from django.utils import translation


class CookieLanguageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        translation.deactivate()
        return response
