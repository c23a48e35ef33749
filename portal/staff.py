"""The staff area: sign-in, the second factor (TOTP), password change and the start page.

Sign-in is two steps in production: the password (django-axes counts failures and locks), then
a code from an authenticator app; a person without an app yet enrols first (QR code and backup
codes). Until the second step is done the session reaches nothing but these pages
(portal.permissions.check_access).
"""

from __future__ import annotations

import base64
import logging
from dataclasses import dataclass

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_safe
from django_otp.plugins.otp_static.models import StaticDevice

from portal import services
from portal.forms import OTPTokenForm, StaffAuthenticationForm
from portal.permissions import (
    Role,
    RoleRequiredMixin,
    is_verified,
    may_use_admin,
    role_required,
    roles_of,
    second_factor_url,
)

logger = logging.getLogger(__name__)


# --- Sign-in and sign-out ----------------------------------------------------------------------


class StaffLoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    authentication_form = StaffAuthenticationForm

    def form_valid(self, form):
        response = super().form_valid(form)
        if settings.STAFF_REQUIRE_2FA:
            return redirect(second_factor_url(self.request, self.get_success_url()))
        return response


class StaffLogoutView(auth_views.LogoutView):
    """POST only (Django's rule): a link or prefetch cannot sign anyone out."""

    next_page = reverse_lazy("staff:login")


# --- The second factor --------------------------------------------------------------------------


def _next_url(request: HttpRequest) -> str:
    """The page to continue to after the second factor: `next` if it is ours, else the start."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url("staff:home")


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def otp_verify(request: HttpRequest) -> HttpResponse:
    """Second step of sign-in: a code from the app, or a backup code."""
    if is_verified(request):
        return redirect(_next_url(request))
    if not django_otp.user_has_device(request.user):
        return redirect(second_factor_url(request, _next_url(request)))
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = django_otp.match_token(request.user, form.cleaned_data["otp_token"])
        if device is not None:
            django_otp.login(request, device)
            return redirect(_next_url(request))
        logger.warning("Wrong second-factor code for user id %s", request.user.pk)
        form.add_error(
            "otp_token",
            _(
                "Koden stämmer inte. Skriv den kod som visas i appen just nu; efter flera fel "
                "får du vänta lite längre mellan försöken."
            ),
        )
    return render(request, "staff/otp_verify.html", {"form": form, "next": _next_url(request)})


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def otp_enrol(request: HttpRequest) -> HttpResponse:
    """First sign-in: connect an authenticator app with a QR code, then show backup codes."""
    if django_otp.user_has_device(request.user):
        # A second device needs a reset by a superuser: a password alone must not add one.
        return redirect(second_factor_url(request, _next_url(request)))
    device = services.totp_device_for_enrolment(user=request.user)
    form = OTPTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["otp_token"]):
            codes = services.totp_device_confirm(device=device)
            django_otp.login(request, device)
            return render(
                request, "staff/backup_codes.html", {"codes": codes, "next": _next_url(request)}
            )
        form.add_error(
            "otp_token",
            _(
                "Koden stämmer inte. Kontrollera att appen visar Stödportalen och skriv "
                "den nya koden."
            ),
        )
    return render(
        request,
        "staff/otp_enrol.html",
        {
            "form": form,
            "qr_svg": _qr_svg(device.config_url),
            "secret": _grouped(base64.b32encode(device.bin_key).decode()),
            "next": _next_url(request),
        },
    )


def _qr_svg(text: str) -> str:
    # An inline SVG of paths only: no script and no style attribute, so the strict CSP holds.
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    svg = image.to_string(encoding="unicode")
    return mark_safe(svg.replace("<svg ", '<svg role="img" aria-labelledby="qr-text" ', 1))  # noqa: S308


def _grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


@require_http_methods(["GET", "HEAD", "POST"])
@role_required()
def backup_codes(request: HttpRequest) -> HttpResponse:
    """How many backup codes are left; POST makes new ones (the old ones stop working)."""
    if request.method == "POST":
        codes = services.backup_codes_create(user=request.user)
        return render(request, "staff/backup_codes.html", {"codes": codes, "next": ""})
    device = StaticDevice.objects.filter(user=request.user).first()
    left = device.token_set.count() if device else 0
    return render(request, "staff/backup_codes_status.html", {"left": left})


# --- Password and start page --------------------------------------------------------------------


@method_decorator(require_http_methods(["GET", "HEAD", "POST"]), name="dispatch")
class StaffPasswordChangeView(RoleRequiredMixin, auth_views.PasswordChangeView):
    template_name = "staff/password_change.html"
    success_url = reverse_lazy("staff:password_change_done")


class StaffPasswordChangeDoneView(RoleRequiredMixin, auth_views.PasswordChangeDoneView):
    template_name = "staff/password_change_done.html"
    http_method_names = ["get", "head"]


@dataclass(frozen=True)
class Tool:
    title: str
    description: str
    url_name: str


# Each role's tools on the start page; a role sees only its own entries.
STATISTICS = Tool(
    _("Statistik"),
    _("Vad folk frågade om och vart de hänvisades, per vecka, månad och år. Inga anteckningar."),
    "frontdesk:statistics",
)
TOOLS: dict[str, list[Tool]] = {
    Role.REDAKTOR: [
        Tool(
            _("Katalogen"),
            _("Utförare, insatser, kontaktvägar och öppettider; det som behöver granskas."),
            "admin:index",
        )
    ],
    Role.MOTTAGNING: [
        Tool(
            _("Sök stöd"),
            _("Sök i katalogen medan någon ringer, se det de skulle se och gör en lapp."),
            "frontdesk:console",
        ),
        Tool(
            _("Samtalslogg"),
            _("Logga samtal utan personuppgifter, se dagens och tidigare samtal."),
            "frontdesk:call_log",
        ),
        STATISTICS,
    ],
    Role.UPPFOLJNING: [STATISTICS],
    Role.UTFORARE: [
        Tool(
            _("Kontaktförfrågningar"),
            _("Invånare som bett er kontakta dem. Det som väntat för länge syns först."),
            "intake:contact_queue",
        )
    ],
    Role.HANDLAGGARE: [
        Tool(
            _("Ansökningar"),
            _("Ansökningar om bistånd: tilldela, utred, besluta och verkställ."),
            "intake:application_queue",
        ),
        Tool(
            _("Orosanmälningar"),
            _("Anmälningar om oro för barn, med skyddsbedömning och lagens tidsfrister."),
            "intake:report_queue",
        ),
    ],
}
SUPERUSER_TOOLS = [
    Tool(
        _("Konton och roller"),
        _("Lägg till personal, ge roller, koppla till utförare, återställ tvåfaktor."),
        "admin:auth_user_changelist",
    ),
    Tool(
        _("Kommuner"),
        _("Vilka som har kommunens roller i vägledningen, och vilken personal som hör till den."),
        "admin:providers_municipality_changelist",
    ),
]


@require_safe
@role_required()
def home(request: HttpRequest) -> HttpResponse:
    roles = [role for role in Role if role.value in roles_of(request.user)]
    tools = [tool for role in roles for tool in TOOLS.get(role.value, [])]
    if request.user.is_superuser:
        tools += SUPERUSER_TOOLS
    if not may_use_admin(request.user):
        tools = [tool for tool in tools if not tool.url_name.startswith("admin:")]
    return render(
        request,
        "staff/home.html",
        {
            "roles": roles,
            "tools": tools,
            # Staff see only their municipality's rows: say which, or that there is none.
            "municipalities": list(
                request.user.staff_municipalities.order_by("name").values_list("name", flat=True)
            ),
            "uses_2fa": settings.STAFF_REQUIRE_2FA or django_otp.user_has_device(request.user),
        },
    )
