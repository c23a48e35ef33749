"""Who may do what on the staff side: the one place roles and object-level access are checked.

Roles are Django groups named as in DOMAIN.md. Views use `role_required(...)` (functions) or
`RoleRequiredMixin` (classes); querysets of a provider's rows go through `for_user_providers`,
and of a municipality's rows through `for_user_municipalities` (staff see only their own
municipality's rows; superusers see every municipality's).
Superusers administer users in the admin; they reach a role's area only if they hold the role,
because the roles' areas carry personal data.
"""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db import models
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    REDAKTOR = "redaktor", _("Redaktör (katalogen)")
    MOTTAGNING = "mottagning", _("Mottagningen (vägledning, samtalslogg, statistik)")
    UPPFOLJNING = "uppfoljning", _("Uppföljning (statistik)")
    HANDLAGGARE = "handlaggare", _("Handläggare (ansökningar och orosanmälningar)")
    UTFORARE = "utforare", _("Utförare (egna kontaktförfrågningar)")


def roles_of(user) -> frozenset[str]:
    """The user's role names (one query, remembered on the user object for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_staff_roles"):
        names = user.groups.filter(name__in=Role.values).values_list("name", flat=True)
        user._staff_roles = frozenset(names)
    return user._staff_roles


def has_role(user, *roles: str) -> bool:
    return bool(roles_of(user) & set(roles))


def is_staff_member(user) -> bool:
    """Anyone with a staff role, or a superuser: may use the staff start page."""
    return user.is_authenticated and user.is_active and (user.is_superuser or bool(roles_of(user)))


def may_use_admin(user) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and user.is_staff
        and (user.is_superuser or has_role(user, Role.REDAKTOR))
    )


def is_verified(request) -> bool:
    """Signed in with the second factor, or 2FA is not required (local demo only)."""
    if not settings.STAFF_REQUIRE_2FA:
        return True
    user = request.user
    return bool(user.is_authenticated and getattr(user, "is_verified", lambda: False)())


def second_factor_url(request, next_url: str = "") -> str:
    """Where a signed-in person still without the second factor goes: verify, or enrol."""
    from django_otp import devices_for_user

    has_device = any(True for _device in devices_for_user(request.user, confirmed=True))
    name = "staff:otp_verify" if has_device else "staff:otp_enrol"
    query = f"?{urlencode({'next': next_url})}" if next_url else ""
    return reverse(name) + query


def check_access(request, roles: tuple[str, ...]):
    """None when the request may go on; otherwise the response that refuses it.

    Anonymous: to the sign-in. Signed in without the second factor: to 2FA. Without one of the
    roles (an empty `roles` means any staff role): 403.
    """
    user = request.user
    if not user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not is_verified(request):
        return redirect(second_factor_url(request, request.get_full_path()))
    allowed = has_role(user, *roles) if roles else is_staff_member(user)
    if not allowed:
        raise PermissionDenied
    return None


def role_required(*roles: str):
    """Decorator for staff views: the user must hold one of the roles (none given: any role)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            refused = check_access(request, roles)
            if refused is not None:
                return refused
            return view(request, *args, **kwargs)

        wrapped.staff_roles = roles  # read by the URL guard test
        return wrapped

    return decorator


class RoleRequiredMixin:
    """The same check for class-based views: set `roles` (empty: any staff role)."""

    roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        refused = check_access(request, tuple(self.roles))
        if refused is not None:
            return refused
        return super().dispatch(request, *args, **kwargs)


# --- Object level ------------------------------------------------------------------------------


def user_provider_ids(user) -> frozenset[int]:
    """The providers whose staff the user is (role `utforare`); empty for everyone else."""
    if not has_role(user, Role.UTFORARE):
        return frozenset()
    if not hasattr(user, "_staff_provider_ids"):
        user._staff_provider_ids = frozenset(user.staff_providers.values_list("pk", flat=True))
    return user._staff_provider_ids


def for_user_providers(queryset, user, *, provider_field: str = "provider"):
    """Only the rows of the user's own providers: every provider-scoped staff list uses this."""
    return queryset.filter(**{f"{provider_field}__in": user_provider_ids(user)})


def may_see_provider(user, provider) -> bool:
    return getattr(provider, "pk", provider) in user_provider_ids(user)


# --- Municipalities ----------------------------------------------------------------------------
#
# Staff and editors belong to municipalities through Municipality.staff (usually one) and see
# only those municipalities' rows. Superusers see every municipality. A staff member in no
# municipality sees no municipality's rows: the lists are empty, never everyone's.


def sees_every_municipality(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


def user_municipality_ids(user) -> frozenset[int]:
    """The municipalities the user works for (one query, remembered for the request)."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if not hasattr(user, "_staff_municipality_ids"):
        user._staff_municipality_ids = frozenset(
            user.staff_municipalities.values_list("pk", flat=True)
        )
    return user._staff_municipality_ids


def for_user_municipalities(queryset, user, field: str = "municipality"):
    """Only the rows of the user's municipalities (superusers: every row). `field` is the
    lookup from the queryset's model to its municipality, e.g. "provider__municipality"."""
    if sees_every_municipality(user):
        return queryset
    if not user.is_authenticated or not user.is_active:
        return queryset.none()
    mine = getattr(user, "_staff_municipality_ids", None)
    if mine is None:  # a subquery, not a query of its own (SQL: ... IN (SELECT ...))
        mine = user.staff_municipalities.values("pk")
    return queryset.filter(**{f"{field}__in": mine})


def may_see_municipality(user, municipality) -> bool:
    """Whether a row of `municipality` (an id or a Municipality) is the user's to see."""
    if sees_every_municipality(user):
        return True
    return getattr(municipality, "pk", municipality) in user_municipality_ids(user)


def user_place(user):
    """The Place (providers.municipalities) the user works in: their municipality (the first by
    name when they have several), for a superuser without one the default; None when the user
    belongs to none, so a page that needs one can refuse instead of showing another's rows."""
    from providers import municipalities

    ids = user_municipality_ids(user)
    if ids:
        known = municipalities.places()
        if not ids & {place.id for place in known.values()}:
            # A municipality newer than the cached list (created a moment ago): read it now.
            known = municipalities._places_from_database()
        mine = sorted((p for p in known.values() if p.id in ids), key=lambda p: p.name)
        if mine:
            return mine[0]
    if sees_every_municipality(user):
        return municipalities.default()
    return None
