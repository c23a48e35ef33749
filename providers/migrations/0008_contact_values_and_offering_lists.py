"""Phone numbers stored in one form (E.164, short numbers as digits); help texts for the lists.

The rules are copied from providers/phones.py as they are today, so later changes there do not
change what this migration did. A value that is not a Swedish number is left as it was: the
editors see it refused the next time they save that contact point.
"""

import phonenumbers
from django.db import migrations, models
from phonenumbers import PhoneNumberFormat, PhoneNumberType, shortnumberinfo


def stored_form(text):
    try:
        number = phonenumbers.parse(text, "SE")
    except phonenumbers.NumberParseException:
        return text
    short = not text.lstrip().startswith("+") and number.country_code == 46
    if short and shortnumberinfo.is_valid_short_number_for_region(number, "SE"):
        return str(number.national_number)
    if (
        phonenumbers.is_valid_number(number)
        and phonenumbers.region_code_for_number(number) == "SE"
        and phonenumbers.number_type(number) != PhoneNumberType.PREMIUM_RATE
    ):
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    return text


def shown_form(text):
    if not text.startswith("+46"):
        return text
    try:
        number = phonenumbers.parse(text)
    except phonenumbers.NumberParseException:
        return text
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)


def rewrite(apps, form):
    ContactPoint = apps.get_model("providers", "ContactPoint")
    changed = []
    for point in ContactPoint.objects.filter(kind="telefon").only("pk", "value"):
        value = form(point.value)
        if value != point.value:
            point.value = value
            changed.append(point)
    ContactPoint.objects.bulk_update(changed, ["value"], batch_size=1000)


def normalise(apps, schema_editor):
    rewrite(apps, stored_form)


def show_as_before(apps, schema_editor):
    # Back to the national form editors used to type (013-20 69 68).
    rewrite(apps, shown_form)


class Migration(migrations.Migration):
    dependencies = [
        ("providers", "0007_staff_links_and_catalogue_loads"),
    ]

    operations = [
        migrations.RunPython(normalise, show_as_before),
        migrations.AlterField(
            model_name="contactpoint",
            name="value",
            field=models.CharField(
                help_text="Telefon: ett svenskt nummer, till exempel 013-20 69 68. Webb: en adress som börjar med https://. Skriv ”uppgift saknas” om uppgiften inte är känd – hitta aldrig på ett nummer.",
                max_length=200,
                verbose_name="nummer eller adress",
            ),
        ),
        migrations.AlterField(
            model_name="historicalcontactpoint",
            name="value",
            field=models.CharField(
                help_text="Telefon: ett svenskt nummer, till exempel 013-20 69 68. Webb: en adress som börjar med https://. Skriv ”uppgift saknas” om uppgiften inte är känd – hitta aldrig på ett nummer.",
                max_length=200,
                verbose_name="nummer eller adress",
            ),
        ),
        migrations.AlterField(
            model_name="historicaloffering",
            name="languages",
            field=models.CharField(
                default="svenska",
                help_text="Väljs i en lista; sparas kommaseparerat, t.ex. svenska, engelska.",
                max_length=200,
                verbose_name="språk",
            ),
        ),
        migrations.AlterField(
            model_name="offering",
            name="languages",
            field=models.CharField(
                default="svenska",
                help_text="Väljs i en lista; sparas kommaseparerat, t.ex. svenska, engelska.",
                max_length=200,
                verbose_name="språk",
            ),
        ),
    ]
