"""The editors' admin forms: lists to choose from instead of typed JSON or free text."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from providers.models import ContactPoint, Format, Language, Offering


class OfferingForm(forms.ModelForm):
    """Formats and languages as checkboxes; legal basis is the model's own select."""

    formats = forms.MultipleChoiceField(
        label=_("Former"),
        choices=Format.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    languages = forms.MultipleChoiceField(
        label=_("Språk"),
        choices=Language.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Välj minst ett språk som stödet ges på.")},
        help_text=_("Saknas språket? Skriv det under ”uppgifter som saknas”."),
    )

    class Meta:
        model = Offering
        fields = ["formats", "languages", "legal_basis"]  # the admin adds its fieldsets' fields

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        stored = Language.split(self.instance.languages)
        # A language typed before the list existed stays visible, checked, until unchecked.
        older = [(value, value) for value in stored if value not in Language.values]
        self.fields["languages"].choices = [*Language.choices, *older]
        self.initial["languages"] = stored
        self.initial["formats"] = list(self.instance.formats or [])

    def clean_formats(self) -> list[str]:
        chosen = set(self.cleaned_data["formats"])
        return [value for value in Format.values if value in chosen]

    def clean_languages(self) -> str:
        text = Language.join(self.cleaned_data["languages"])
        limit = Offering._meta.get_field("languages").max_length
        if len(text) > limit:
            raise forms.ValidationError(
                _("Välj färre språk: listan får vara högst %(limit)d tecken."),
                params={"limit": limit},
                code="max_length",
            )
        return text


class ContactPointForm(forms.ModelForm):
    """Shows a stored phone number as editors write it (013-20 69 68), not as stored
    (+4613206968); ContactPoint.clean() checks the value and stores it again."""

    class Meta:
        model = ContactPoint
        fields = [
            "provider",
            "offering",
            "kind",
            "label",
            "label_en",
            "value",
            "is_on_call",
            "open_on_holidays",
            "note",
            "note_en",
            "position",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "value" in self.fields:
            self.initial["value"] = self.instance.display_value
