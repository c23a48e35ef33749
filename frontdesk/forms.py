"""The referral slip's query parameters: which offerings, at most eight.

The slip is a link a navigator hands or texts to a caller, so a hand-edited or truncated link
gets a clear message in plain Swedish, never a 500.
"""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from frontdesk import selectors

SLIP_LIMIT = 8
SHOWN_SLUG_LENGTH = 60  # an unknown slug is quoted back, but not a page of it


class SlugListField(forms.Field):
    """Repeated `insats=<slug>` parameters: stripped, empty ones dropped, each slug once."""

    widget = forms.MultipleHiddenInput  # reads every value of the parameter, not the last

    def to_python(self, value) -> list[str]:
        slugs = [str(v).strip() for v in value or [] if str(v).strip()]
        return list(dict.fromkeys(slugs))


class SlipForm(forms.Form):
    insats = SlugListField(
        error_messages={
            "required": _(
                "Välj minst en stödinsats till lappen. Du hittar dem i listan över alla "
                "stödinsatser."
            )
        }
    )

    def clean_insats(self) -> list:
        """The published offerings the link names, in its order."""
        slugs = self.cleaned_data["insats"]
        if len(slugs) > SLIP_LIMIT:
            raise forms.ValidationError(
                _(
                    "En lapp kan ha högst %(limit)s stödinsatser. Ta bort %(extra)s och "
                    "försök igen."
                ),
                code="too_many",
                params={"limit": SLIP_LIMIT, "extra": len(slugs) - SLIP_LIMIT},
            )
        found = selectors.slip_offerings(slugs)
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise forms.ValidationError(
                [
                    forms.ValidationError(
                        _(
                            "Vi hittar ingen stödinsats som heter ”%(slug)s”. Kontrollera "
                            "länken, eller välj stödinsatsen i listan över alla stödinsatser."
                        ),
                        code="unknown",
                        params={"slug": slug[:SHOWN_SLUG_LENGTH]},
                    )
                    for slug in unknown
                ]
            )
        return [found[slug] for slug in slugs]
