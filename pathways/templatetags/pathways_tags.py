"""Words for the guide's answer codes."""

from django import template

from providers.models import Area, Need
from providers.vocabulary import Audience

register = template.Library()


@register.filter
def vem_label(value: str) -> str:
    return str(Audience(value).label) if value in Audience.values else ""


@register.filter
def need_labels(slugs) -> str:
    labels = {n.slug: n.label for n in Need.cached()}
    return ", ".join(labels[s] for s in slugs if s in labels)


@register.filter
def area_label(slug: str) -> str:
    return next((area.label for area in Area.cached() if area.slug == slug), "")
