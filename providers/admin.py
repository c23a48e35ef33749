"""The editors' admin: keep listings right, see their history, find what needs review.

Editors see and change only their own municipality's rows (portal.permissions): the lists, the
change, delete and history pages, and the choices in every form. Another municipality's row by
its URL is a 404 (a 403 for its old versions). Superusers see every municipality's rows.
"""

import datetime as dt

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.db import models
from django.db.models import Q
from django.forms.models import BaseInlineFormSet
from django.http import Http404
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from portal.permissions import (
    for_user_municipalities,
    may_see_municipality,
    sees_every_municipality,
    user_municipality_ids,
)
from providers import municipalities, phones, services
from providers.forms import ContactPointForm, OfferingForm
from providers.models import (
    Area,
    ContactPoint,
    HoursException,
    Location,
    Method,
    Municipality,
    Need,
    Offering,
    OfferingStaffFacts,
    Provider,
    WeeklyHours,
)

# --- Municipality scoping -----------------------------------------------------------------------

# The lookup from each model to the municipality that owns its rows. An offering goes through
# its provider: Offering.municipality is a derived copy, the provider's is the fact.
OWNER = {
    Municipality: "pk",
    Provider: "municipality",
    Offering: "provider__municipality",
    ContactPoint: "provider__municipality",
    Location: "provider__municipality",
}


def _owner_id(obj):
    """The id of the municipality that owns `obj` (a row of a model in OWNER)."""
    if isinstance(obj, Municipality):
        return obj.pk
    if isinstance(obj, Provider):
        return obj.municipality_id
    provider = getattr(obj, "provider", None)
    return provider.municipality_id if provider is not None else None


def scoped_choices(model, request, queryset):
    """The rows of `model` an editor may choose in a form: their municipality's providers,
    offerings and places; areas shared by all (no municipality) and their own; everything else
    (needs, methods, the municipalities an offering also serves) as it is."""
    user = request.user
    if sees_every_municipality(user):
        return queryset
    if model is Area:
        return queryset.filter(
            Q(municipality__isnull=True) | Q(municipality__in=user_municipality_ids(user))
        )
    if model in OWNER and model is not Municipality:
        return for_user_municipalities(queryset, user, OWNER[model])
    return queryset


class ScopedChoicesMixin:
    """Foreign keys and many-to-many choices limited with `scoped_choices`, for admins and
    inlines alike (a POST naming another municipality's row is an invalid choice)."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            model = db_field.remote_field.model
            if model is Municipality and db_field.model is Provider:
                field.queryset = for_user_municipalities(field.queryset, request.user, "pk")
            else:
                field.queryset = scoped_choices(model, request, field.queryset)
        return field

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        field = super().formfield_for_manytomany(db_field, request, **kwargs)
        if field is not None and hasattr(field, "queryset"):
            field.queryset = scoped_choices(db_field.remote_field.model, request, field.queryset)
        return field


class MunicipalityScopedAdmin(ScopedChoicesMixin, admin.ModelAdmin):
    """Lists, pages and POSTs only over the editor's municipality's rows."""

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        return for_user_municipalities(queryset, request.user, OWNER[self.model])

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is None and not sees_every_municipality(request.user):
            raise Http404  # another municipality's row is not theirs to know about
        return obj

    def _owns(self, request, obj) -> bool:
        return obj is None or may_see_municipality(request.user, _owner_id(obj))

    # Object-level checks too: simple-history's pages load old versions by id, not through
    # get_queryset, and ask these before showing or restoring one.
    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._owns(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._owns(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._owns(request, obj)


class NeedsReviewFilter(admin.SimpleListFilter):
    """Listings not reviewed within REVIEW_INTERVAL_DAYS, never reviewed, or with missing facts."""

    title = _("granskning")
    parameter_name = "granskning"

    def lookups(self, request, model_admin):
        return [("behovs", _("Behöver granskas")), ("ok", _("Granskad nyligen"))]

    def queryset(self, request, queryset):
        stale = timezone.localdate() - dt.timedelta(days=settings.REVIEW_INTERVAL_DAYS)
        due = Q(last_reviewed__isnull=True) | Q(last_reviewed__lt=stale) | ~Q(missing_facts="")
        if self.value() == "behovs":
            return queryset.filter(due)
        if self.value() == "ok":
            return queryset.exclude(due)
        return queryset


class CatalogueWriteAdmin(admin.ModelAdmin):
    """Saves and deletes go through providers.services, so every edit rebuilds the search
    text of the offerings it touches and replaces the catalogue version on all servers."""

    def save_model(self, request, obj, form, change):
        services.catalogue_row_save(row=obj, acting_user=request.user)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        # Relations and inline rows are saved only now, so rebuild once more after them.
        services.catalogue_changed(rows=[form.instance])

    def delete_model(self, request, obj):
        services.catalogue_row_delete(row=obj, acting_user=request.user)

    def delete_queryset(self, request, queryset):
        services.catalogue_rows_delete(rows=queryset, acting_user=request.user)


class ReviewedAdmin(CatalogueWriteAdmin, SimpleHistoryAdmin):
    """Shared list behaviour for providers and offerings."""

    actions = ["mark_reviewed"]
    save_on_top = True

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        """Reverting to an old version: simple-history saves the row before its needs, areas
        and methods, so the search text and masks are rebuilt once everything is back."""
        response = super().history_form_view(request, object_id, version_id, extra_context)
        if request.method == "POST" and response.status_code == 302:
            services.catalogue_changed(rows=[self.get_object(request, unquote(object_id))])
        return response

    @admin.display(description=_("Granskning"), boolean=False)
    def review_state(self, obj):
        if obj.missing_facts:
            return _("Saknar uppgifter")
        if obj.review_due():
            return _("Behöver granskas")
        return _("OK")

    @admin.action(description=_("Markera som granskade i dag"))
    def mark_reviewed(self, request, queryset):
        count = services.listing_mark_reviewed(listings=queryset)
        self.message_user(
            request,
            _("%(count)d listningar markerade som granskade.") % {"count": count},
            messages.SUCCESS,
        )

    @admin.display(description=_("Publik sida"))
    def public_link(self, obj):
        if not obj.pk:
            return "–"
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("Förhandsgranska"))


class ContactPointInline(ScopedChoicesMixin, admin.TabularInline):
    model = ContactPoint
    form = ContactPointForm
    extra = 0
    fields = ["kind", "label", "value", "offering", "is_on_call", "open_on_holidays", "position"]
    show_change_link = True
    verbose_name_plural = _("Kontaktvägar (öppna en kontaktväg för att ändra dess öppettider)")


class LocationInline(ScopedChoicesMixin, admin.StackedInline):
    model = Location
    extra = 0
    fields = [
        "name",
        "street_address",
        "postal_code",
        "city",
        "area",
        "is_confidential",
        "accessibility",
    ]


@admin.register(Provider)
class ProviderAdmin(MunicipalityScopedAdmin, ReviewedAdmin):
    # An address typed without a scheme becomes https://, the only scheme the field accepts.
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = [
        "name",
        "organisation_form",
        "is_published",
        "last_reviewed",
        "review_state",
        "public_link",
    ]
    list_filter = [NeedsReviewFilter, "organisation_form", "is_published"]
    search_fields = ["name", "name_en", "slug", "description", "parent_organisation"]
    prepopulated_fields = {"slug": ["name"]}
    readonly_fields = ["updated_at", "public_link"]
    inlines = [ContactPointInline, LocationInline]

    def get_changeform_initial_data(self, request):
        """A new provider belongs to the editor's municipality (the first, if several)."""
        initial = super().get_changeform_initial_data(request)
        mine = Municipality.objects.filter(pk__in=user_municipality_ids(request.user))
        first = mine.order_by("name").values_list("pk", flat=True).first()
        if first is not None:
            initial.setdefault("municipality", first)
        return initial

    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "municipality",
                    "organisation_form",
                    "parent_organisation",
                    "is_published",
                ]
            },
        ),
        (_("Beskrivning"), {"fields": ["description", "name_en", "description_en"]}),
        (_("Kontakt"), {"fields": ["website", "email"]}),
        (
            _("Avtal och personal"),
            {
                "fields": [
                    "contracting_committee",
                    "contract_period",
                    "staff_and_competences",
                    "collaborators",
                ]
            },
        ),
        (
            _("Granskning"),
            {"fields": ["last_reviewed", "missing_facts", "updated_at", "public_link"]},
        ),
    ]


class OfferingContactInline(ScopedChoicesMixin, admin.TabularInline):
    model = ContactPoint
    form = ContactPointForm
    extra = 0
    fields = ["provider", "kind", "label", "value", "is_on_call", "open_on_holidays", "position"]
    show_change_link = True
    verbose_name_plural = _("Egna kontaktvägar för insatsen (annars visas utförarens)")


class StaffFactsFormSet(BaseInlineFormSet):
    @classmethod
    def get_default_prefix(cls) -> str:
        return "staff_facts"  # the relation has no reverse name to derive one from


class OfferingStaffFactsInline(admin.StackedInline):
    """Facts for Mottagningen's navigators only: the console shows them, public pages never."""

    model = OfferingStaffFacts
    formset = StaffFactsFormSet
    extra = 0
    max_num = 1
    can_delete = False
    fields = ["navigator_note", "professional_phone", "capacity", "capacity_updated"]


@admin.register(Offering)
class OfferingAdmin(MunicipalityScopedAdmin, ReviewedAdmin):
    form = OfferingForm
    list_display = [
        "name",
        "provider",
        "route",
        "age_range",
        "is_published",
        "last_reviewed",
        "review_state",
    ]
    # Only the areas and providers of the rows listed, so no other municipality's are named.
    list_filter = [
        NeedsReviewFilter,
        "route",
        "is_published",
        "needs",
        ("areas", admin.RelatedOnlyFieldListFilter),
        ("provider", admin.RelatedOnlyFieldListFilter),
    ]
    list_select_related = ["provider"]
    search_fields = ["name", "name_en", "slug", "summary", "provider__name"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["provider"]
    filter_horizontal = ["needs", "areas", "serves", "methods", "locations"]
    readonly_fields = ["updated_at", "public_link"]
    inlines = [OfferingContactInline, OfferingStaffFactsInline]
    fieldsets = [
        (None, {"fields": ["provider", "name", "slug", "is_published"]}),
        (
            _("Texter"),
            {"fields": ["summary", "description", "name_en", "summary_en", "description_en"]},
        ),
        (
            _("Väg in"),
            {
                "fields": [
                    "route",
                    "route_conditions",
                    "route_conditions_en",
                    "service_hours_cap",
                    "legal_basis",
                ]
            },
        ),
        (
            _("Vem det är för"),
            {
                "fields": [
                    ("min_age", "max_age"),
                    "needs",
                    "areas",
                    "serves",
                    ("accepts_self", "accepts_parent", "accepts_relative", "accepts_professional"),
                    "anonymity_possible",
                    "languages",
                ]
            },
        ),
        (
            _("Hur stödet ges"),
            {
                "fields": [
                    "methods",
                    "formats",
                    "locations",
                    "response_promise_days",
                    "response_promise",
                    "response_promise_en",
                ]
            },
        ),
        (
            _("Granskning"),
            {"fields": ["last_reviewed", "missing_facts", "updated_at", "public_link"]},
        ),
    ]

    @admin.display(description=_("Ålder"))
    def age_range(self, obj):
        return obj.age_text()


class WeeklyHoursInline(admin.TabularInline):
    model = WeeklyHours
    extra = 1


class HoursExceptionInline(admin.TabularInline):
    model = HoursException
    extra = 0


@admin.register(ContactPoint)
class ContactPointAdmin(MunicipalityScopedAdmin, CatalogueWriteAdmin, SimpleHistoryAdmin):
    form = ContactPointForm
    list_display = ["label", "shown_value", "provider", "offering", "is_on_call"]
    list_filter = ["kind", "is_on_call", ("provider", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["provider", "offering"]
    search_fields = ["label", "value", "provider__name", "offering__name"]
    autocomplete_fields = ["provider", "offering"]
    inlines = [WeeklyHoursInline, HoursExceptionInline]

    @admin.display(description=_("Nummer eller adress"), ordering="value")
    def shown_value(self, obj):
        return obj.display_value

    def get_search_results(self, request, queryset, search_term):
        # Numbers are stored as +4613206968: one typed as 013-20 69 68 finds them too.
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        number = phones.normalise_or_keep(search_term.strip())
        if number != search_term.strip():
            results |= queryset.filter(value=number)
        return results, may_have_duplicates


@admin.register(Location)
class LocationAdmin(MunicipalityScopedAdmin, CatalogueWriteAdmin, SimpleHistoryAdmin):
    list_display = ["name", "provider", "area", "is_confidential"]
    list_filter = [("area", admin.RelatedOnlyFieldListFilter), "is_confidential"]
    search_fields = ["name", "street_address", "provider__name"]
    autocomplete_fields = ["provider"]


@admin.register(Method)
class MethodAdmin(CatalogueWriteAdmin):
    list_display = ["name", "slug", "position"]
    search_fields = ["name", "explanation"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Need)
class NeedAdmin(CatalogueWriteAdmin):
    """The needs are a fixed vocabulary: editors may improve the wording, not the codes."""

    list_display = ["name", "slug", "explanation"]
    readonly_fields = ["slug"]

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Area)
class AreaAdmin(NeedAdmin):
    """Editors see the shared areas (no municipality, e.g. `hela-kommunen`) and their own, and
    improve the wording of their own only: a shared area's name is every municipality's."""

    list_display = ["name", "slug"]

    def get_queryset(self, request):
        return scoped_choices(Area, request, super().get_queryset(request))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        return fields if sees_every_municipality(request.user) else [*fields, "municipality"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        if obj is None or sees_every_municipality(request.user):
            return allowed
        owner = obj.municipality_id
        if owner is None and obj.slug != Area.WHOLE_MUNICIPALITY:
            # An area from before municipalities is the default one's (as the guide reads it:
            # providers.municipalities.areas_of).
            owner = municipalities.default().id
        return allowed and owner in user_municipality_ids(request.user)


@admin.register(Municipality)
class MunicipalityAdmin(ScopedChoicesMixin, CatalogueWriteAdmin):
    """Superusers only: which providers play the guide's roles, and who the staff are."""

    list_display = ["name", "slug", "code", "is_generated"]
    list_filter = ["is_generated"]
    search_fields = ["name", "name_en", "slug", "code"]
    autocomplete_fields = [
        "navigator",
        "social_office",
        "emergency",
        "navigation_offering",
        "report_offering",
    ]
    filter_horizontal = ["staff"]

    def has_module_permission(self, request):
        return sees_every_municipality(request.user)

    def has_view_permission(self, request, obj=None):
        return sees_every_municipality(request.user)

    def has_add_permission(self, request):
        return sees_every_municipality(request.user)

    def has_change_permission(self, request, obj=None):
        return sees_every_municipality(request.user)

    def has_delete_permission(self, request, obj=None):
        return sees_every_municipality(request.user)
