"""Logging in: the login page, the admin's login form and the API token endpoints, each
refusing a locked-out username and address with a message that says so (lockout.py)."""

from __future__ import annotations

from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from . import lockout, tokens

LOCKED_OUT = "locked_out"


class LockoutMixin:
    """Says "locked" instead of "wrong password" once the username/address is locked out,
    including on the failure that reached the limit."""

    locked_out = False

    def clean(self):
        username = self.data.get("username")
        if lockout.is_locked(self.request, username):
            self._refuse()
        try:
            return super().clean()
        except ValidationError:
            if lockout.is_locked(self.request, username):
                self._refuse()
            raise

    def _refuse(self):
        self.locked_out = True
        raise ValidationError(lockout.message(), code=LOCKED_OUT)


class LoginForm(LockoutMixin, AuthenticationForm):
    pass


class AdminLoginForm(LockoutMixin, AdminAuthenticationForm):
    pass


class LoginView(auth_views.LoginView):
    form_class = LoginForm

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.locked_out:
            response.status_code = 429
        return response


TOKEN_RESPONSE = inline_serializer("TokenResponse", {"token": serializers.CharField()})
DETAIL = inline_serializer("LockoutDetail", {"detail": serializers.CharField()})


class TokenView(APIView):
    """POST {"username", "password"} → {"token"}; 429 {"detail"} while locked out."""

    permission_classes = [AllowAny]
    authentication_classes = []
    serializer_class = AuthTokenSerializer

    @extend_schema(
        request=AuthTokenSerializer,
        responses={200: TOKEN_RESPONSE, 400: OpenApiResponse(description="wrong credentials"), 429: DETAIL},
    )
    def post(self, request):
        username = request.data.get("username") if hasattr(request.data, "get") else None
        username = username if isinstance(username, str) else None
        if lockout.is_locked(request, username):
            return self._locked()
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        if not serializer.is_valid():
            if lockout.is_locked(request, username):
                return self._locked()
            return Response(serializer.errors, status=status.HTTP_400_BAD_REQUEST)
        return Response({"token": tokens.token_for(serializer.validated_data["user"]).key})

    @staticmethod
    def _locked():
        return Response({"detail": lockout.api_detail(), "code": LOCKED_OUT}, status=status.HTTP_429_TOO_MANY_REQUESTS)


class RotateTokenView(APIView):
    """POST → {"token": new}: the caller's token is replaced, the old one refused from now on."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={200: TOKEN_RESPONSE})
    def post(self, request):
        return Response({"token": tokens.rotate(request.user).key})
