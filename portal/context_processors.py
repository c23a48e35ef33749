"""Values every page template needs: the emergency line, Mottagningen and socialkontoret.

The numbers come from the catalogue (providers.selectors.shell_contacts), read only when a
template prints one: a page without them costs no cache or database read.
"""

from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from providers.selectors import ShellContacts, ShellPhone, shell_contacts


def _line(phone: ShellPhone | None) -> dict:
    if phone is None:
        return {"label": "", "number": "", "href": ""}
    return {"label": phone.label_text, "number": phone.number, "href": phone.href}


def _emergency(contacts: ShellContacts) -> dict:
    jour = _line(contacts.jour)
    return {
        "number": "112",  # the national emergency number, not a catalogue fact
        "jour_name": contacts.name("jour") or _("Socialjouren"),
        "jour_number": jour["number"],
        "jour_href": jour["href"],
        "jour_hours": _("kvällar, nätter och helger"),
    }


def _mottagningen(contacts: ShellContacts, place) -> dict:
    """Who helps a resident find the right support, and, for the pages that then say "ring the
    municipality's switchboard", where its number is (the municipality's own site)."""
    return {
        "name": contacts.name("mottagningen"),
        "slug": contacts.slug("mottagningen"),
        **_line(contacts.mottagningen),
        "switchboard_url": getattr(place, "website", ""),
        "switchboard_site": getattr(place, "website_name", ""),
    }


def _socialkontoret(contacts: ShellContacts) -> dict:
    return {
        "name": contacts.name("socialkontoret"),
        "slug": contacts.slug("socialkontoret"),
        "lines": [_line(phone) for phone in contacts.socialkontoret],
        "orosanmalan": _line(contacts.orosanmalan),
    }


def site(request):
    def contacts_here():
        place = getattr(request, "municipality", None)
        # The whole country's search: no municipality's numbers (the banner keeps 112).
        return shell_contacts(place)

    contacts = SimpleLazyObject(contacts_here)
    return {
        "EMERGENCY": SimpleLazyObject(lambda: _emergency(contacts)),
        "MOTTAGNINGEN": SimpleLazyObject(
            lambda: _mottagningen(contacts, getattr(request, "municipality", None))
        ),
        "SOCIALKONTORET": SimpleLazyObject(lambda: _socialkontoret(contacts)),
    }


def municipality(request):
    """The page's municipality, the query to carry it on links, and the choice of all of them."""
    from providers import municipalities

    place = getattr(request, "municipality", None)
    return {
        "kommun": place,
        "kommun_query": SimpleLazyObject(lambda: municipalities.query_for(request)),
        "kommun_choices": SimpleLazyObject(municipalities.choices),
        "kommun_pinned": SimpleLazyObject(lambda: bool(municipalities.pinned_slug(request))),
    }


def language_switch(request):
    """Links to the same page in the other language (no JavaScript, no form needed)."""
    from django.conf import settings
    from django.urls import translate_url
    from django.utils.translation import get_language, get_language_info

    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    return {
        "other_languages": [
            {
                "code": code,
                "name": get_language_info(code)["name_local"],
                "url": translate_url(path, code),
            }
            for code, _name in settings.LANGUAGES
            if not current.startswith(code)
        ]
    }


def staff(request):
    """Whether the staff menu may show: signed in with every factor this deployment needs."""
    from portal.permissions import is_verified

    user = getattr(request, "user", None)
    return {"staff_signed_in": bool(user and user.is_authenticated and is_verified(request))}
