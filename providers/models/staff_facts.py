"""What editors keep about an offering for Mottagningen's navigators only.

A model of its own, reachable from no Offering attribute (no reverse accessor), so a public
template cannot show these facts by accident: only the staff console reads them, by query.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from providers import phones
from providers.models.contacts import ContactPoint
from providers.models.offering import Offering


class OfferingStaffFacts(models.Model):
    offering = models.OneToOneField(
        Offering,
        on_delete=models.CASCADE,
        related_name="+",  # no `offering.staff_facts`: public templates must not reach it
        verbose_name=_("insats"),
    )
    navigator_note = models.TextField(
        _("anteckning för Mottagningen"),
        blank=True,
        help_text=_("Syns bara för Mottagningens personal, till exempel vad som är bra att fråga."),
    )
    professional_phone = models.CharField(
        _("direktnummer för yrkespersoner"),
        max_length=40,
        blank=True,
        help_text=_("Lämnas inte ut till invånare. Till exempel 013-20 69 68."),
    )
    capacity = models.CharField(
        _("väntetid eller platser just nu"),
        max_length=200,
        blank=True,
        help_text=_("Till exempel ”Ungefär två veckors väntetid” eller ”Tre lediga platser”."),
    )
    capacity_updated = models.DateField(
        _("väntetiden uppdaterad"),
        null=True,
        blank=True,
        help_text=_("Datumet då uppgiften om väntetid eller platser senast stämde."),
    )

    class Meta:
        verbose_name = _("uppgifter för personal")
        verbose_name_plural = _("uppgifter för personal (visas aldrig för invånare)")

    def __str__(self) -> str:
        return str(_("Uppgifter för personal"))

    def clean(self) -> None:
        """The direct number in the stored form; a waiting time needs the day it was true."""
        number = " ".join((self.professional_phone or "").split())
        if number:
            try:
                self.professional_phone = ContactPoint._clean_phone(number)
            except ValidationError as error:
                # The same messages and codes as a contact point's phone number.
                raise ValidationError({"professional_phone": error.error_dict["value"]}) from None
        if self.capacity and not self.capacity_updated:
            raise ValidationError(
                {
                    "capacity_updated": ValidationError(
                        _("Skriv vilket datum uppgiften om väntetid eller platser gäller."),
                        code="required",
                    )
                }
            )

    @property
    def professional_phone_display(self) -> str:
        return phones.display(self.professional_phone) if self.professional_phone else ""

    @property
    def professional_phone_href(self) -> str:
        return phones.tel_href(self.professional_phone) if self.professional_phone else ""
