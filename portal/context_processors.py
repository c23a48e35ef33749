"""Values every page template needs: the emergency line and Mottagningen's contact."""

from django.utils.translation import gettext_lazy as _

EMERGENCY = {
    "number": "112",
    "jour_name": _("Sociala jouren"),
    "jour_number": "013-20 75 26",
    "jour_href": "tel:013207526",
    "jour_hours": _("kvällar, nätter och helger"),
}
MOTTAGNINGEN = {
    "name": _("Mottagningen, Råd & Stöd"),
    "number": "013-20 69 68",
    "href": "tel:013206968",
}


def site(request):
    return {"EMERGENCY": EMERGENCY, "MOTTAGNINGEN": MOTTAGNINGEN}


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
