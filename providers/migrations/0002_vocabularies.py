"""The fixed vocabularies of DOMAIN.md: needs (behov) and areas (område).

Their slugs are a public contract (the guide's query parameters), so they live in a migration and
exist on every installation, with or without the demo catalogue.
"""

from django.db import migrations

NEEDS = [
    ("psykisk-ohalsa", "Psykisk ohälsa", "Mental ill-health",
     "Du mår psykiskt dåligt, till exempel oro, ångest, nedstämdhet eller en psykisk sjukdom.",
     "You feel mentally unwell: worry, anxiety, low mood or a mental illness."),
    ("neuropsykiatri", "Neuropsykiatrisk funktionsnedsättning", "Neuropsychiatric disability",
     "Till exempel adhd, autism eller Tourettes syndrom, med eller utan diagnos.",
     "For example ADHD, autism or Tourette's, with or without a diagnosis."),
    ("missbruk", "Alkohol, droger, spel", "Alcohol, drugs, gambling",
     "Du eller någon nära dricker för mycket, använder droger eller spelar om pengar.",
     "You or someone close drinks too much, uses drugs or gambles."),
    ("familj", "Familj och föräldraskap", "Family and parenting",
     "Familjelivet, att vara förälder, konflikter hemma, kompisar eller problem kring skolan.",
     "Family life, being a parent, conflicts at home, friends or problems around school."),
    ("separation", "Separation", "Separation",
     "Ni separerar eller har separerat och behöver hjälp med barnen, boende eller umgänge.",
     "You are separating or have separated and need help about the children, living or contact."),
    ("vald", "Våld i nära relationer", "Violence in close relationships",
     "Någon i familjen eller en partner slår, hotar, kontrollerar eller kränker.",
     "Someone in the family or a partner hits, threatens, controls or humiliates."),
    ("kris", "Kris", "Crisis",
     "Något svårt har hänt, till exempel ett dödsfall, en olycka eller en chock.",
     "Something hard has happened, such as a death, an accident or a shock."),
    ("vardagsstod", "Klara vardagen och hemmet", "Managing everyday life",
     "Du behöver stöd att få ordning på dagen, hemmet, räkningar eller kontakter.",
     "You need support to organise your days, your home, bills or appointments."),
    ("sysselsattning", "Arbete, studier, sysselsättning", "Work, studies, daily activity",
     "Du vill komma i arbete, studier eller ha något meningsfullt att göra på dagarna.",
     "You want to work, study or have something meaningful to do during the day."),
    ("bostad", "Boende", "Housing",
     "Du saknar bostad, riskerar att bli av med den eller behöver ett boende med stöd.",
     "You have no home, may lose it, or need housing with support."),
    ("ekonomi", "Ekonomi", "Money",
     "Pengarna räcker inte till det nödvändigaste, eller du har skulder.",
     "The money is not enough for the basics, or you have debts."),
]

AREAS = [
    ("hela-kommunen", "Hela kommunen", "The whole municipality"),
    ("centrum", "Centrum", "Centre"),
    ("ryd", "Ryd", "Ryd"),
    ("berga", "Berga", "Berga"),
    ("lambohov", "Lambohov", "Lambohov"),
    ("skaggetorp", "Skäggetorp", "Skäggetorp"),
    ("landeryd", "Landeryd", "Landeryd"),
]


def create(apps, schema_editor):
    Need = apps.get_model("providers", "Need")
    Area = apps.get_model("providers", "Area")
    for position, (slug, name, name_en, explanation, explanation_en) in enumerate(NEEDS):
        Need.objects.update_or_create(
            slug=slug,
            defaults={
                "name": name,
                "name_en": name_en,
                "explanation": explanation,
                "explanation_en": explanation_en,
                "position": position,
            },
        )
    for position, (slug, name, name_en) in enumerate(AREAS):
        Area.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "position": position}
        )


def remove(apps, schema_editor):
    apps.get_model("providers", "Need").objects.filter(slug__in=[n[0] for n in NEEDS]).delete()
    apps.get_model("providers", "Area").objects.filter(slug__in=[a[0] for a in AREAS]).delete()


class Migration(migrations.Migration):
    dependencies = [("providers", "0001_initial_catalogue")]
    operations = [migrations.RunPython(create, remove)]
