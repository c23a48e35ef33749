"""Composed reads for the catalogue pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import QueryDict
from django.utils import timezone

from providers.hours import Status
from providers.models import ContactPoint, Provider


@dataclass
class ContactWithHours:
    point: ContactPoint
    status: Status | None
    week: list  # [(date, [(opens, closes)], holiday name or None, is_today)]


def contacts_with_hours(points) -> list[ContactWithHours]:
    """Each contact point with its open-now status and this week's hours, Monday first."""
    now = timezone.now()
    today = timezone.localdate()
    monday = today - timezone.timedelta(days=today.weekday())
    rows = []
    for point in points:
        if not point.has_hours():
            rows.append(ContactWithHours(point, None, []))
            continue
        schedule = point.schedule()
        week = [(d, iv, h, d == today) for d, iv, h in schedule.week(monday)]
        rows.append(ContactWithHours(point, schedule.status(now), week))
    return rows


def provider_for_page(*, include_unpublished: bool = False) -> QuerySet[Provider]:
    providers = Provider.objects.all() if include_unpublished else Provider.objects.published()
    return providers.prefetch_related(
        "locations__area",
        Prefetch(
            "contact_points", queryset=ContactPoint.with_hours().filter(offering__isnull=True)
        ),
    )


def can_preview(user, model_name: str) -> bool:
    """Editors may open unpublished listings on the public pages to preview them."""
    return user.is_authenticated and user.has_perm(f"providers.change_{model_name}")


def query_string_without_page(params: QueryDict) -> str:
    params = params.copy()
    params.pop("sida", None)
    return params.urlencode()
