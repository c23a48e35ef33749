"""Small pieces every listing repeats, as tags rather than includes: a result page shows
dozens of cards, and an `{% include %}` per card costs more than the card's own markup.

    {% load listing_tags %}
    {% route_line route %}               the road to an offering in plain words (Route value)
    {% route_line route conditions %}    with the offering's conditions (its own page)
    {% open_status status %}             "Öppet nu, stänger 17.00" (hours.Status or None)
"""

import functools

from django import template
from django.utils.html import format_html
from django.utils.translation import get_language, gettext

from providers.models import Route

register = template.Library()


def route_words(route: str) -> tuple[str, str]:
    """The route's lead sentence and what follows it."""
    direct = gettext("Du kan kontakta dem direkt – ingen ansökan behövs.")
    if route == Route.SERVICE:
        return direct, ""
    if route == Route.SERVICE_OCH_BISTAND:
        return direct, gettext("Mer stöd kan du få efter en ansökan om bistånd.")
    if route == Route.OKAND:
        return (
            gettext("Kommunen har inte angett om du kan kontakta dem direkt. Ring och fråga."),
            "",
        )
    return gettext("Kräver ansökan om bistånd."), gettext(
        "Socialkontoret utreder och beslutar. Du ansöker hos socialkontoret, inte hos utföraren."
    )


@register.simple_tag
def route_line(route: str, conditions: str = "") -> str:
    if not conditions:
        return _plain_route_line(route, get_language())
    return _route_line(route, conditions)


@functools.lru_cache(maxsize=64)
def _plain_route_line(route: str, language: str | None) -> str:
    """A list shows the same few lines dozens of times: each is built once per language (it
    depends on the route and the translations only, never on the catalogue)."""
    return _route_line(route, "")


def _route_line(route: str, conditions: str) -> str:
    lead, more = route_words(route)
    return format_html(
        '<p class="route route-{}"><strong>{}</strong>{}{}</p>',
        route,
        lead,
        format_html(" {}", more) if more else "",
        format_html("<br>{}", conditions) if conditions else "",
    )


@register.simple_tag
def open_status(status) -> str:
    if not status:
        return ""
    state = "status-open" if status.is_open else "status-closed"
    return format_html('<span class="status {}">{}</span>', state, status.text)
