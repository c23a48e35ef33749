"""Superusers administer staff accounts: roles (groups), municipality and provider links, 2FA
resets, unlocks."""

from axes.utils import reset as axes_reset
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _
from django_otp import user_has_device

from portal import services
from providers.models import Municipality, Provider

User = get_user_model()


class ProviderLinkInline(admin.TabularInline):
    model = Provider.staff.through
    extra = 0
    autocomplete_fields = ["provider"]
    verbose_name = _("utförare som kontot arbetar för (rollen utforare)")
    verbose_name_plural = _("utförare som kontot arbetar för (rollen utforare)")


class MunicipalityLinkInline(admin.TabularInline):
    """Staff see only their municipality's rows; without one they see none."""

    model = Municipality.staff.through
    extra = 0
    autocomplete_fields = ["municipality"]
    verbose_name = _("kommun som kontot arbetar för")
    verbose_name_plural = _(
        "kommuner som kontot arbetar för (personal ser bara sin kommuns uppgifter)"
    )


admin.site.unregister(User)


@admin.register(User)
class StaffUserAdmin(UserAdmin):
    inlines = [MunicipalityLinkInline, ProviderLinkInline]
    list_display = [
        "username",
        "get_full_name",
        "role_names",
        "municipality_names",
        "has_second_factor",
        "is_active",
    ]
    list_filter = ["groups", "staff_municipalities", "is_active", "is_superuser"]
    actions = ["reset_second_factor", "unlock"]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("groups", "staff_municipalities")

    @admin.display(description=_("roller"))
    def role_names(self, obj):
        return ", ".join(group.name for group in obj.groups.all())

    @admin.display(description=_("kommun"))
    def municipality_names(self, obj):
        return ", ".join(municipality.name for municipality in obj.staff_municipalities.all())

    @admin.display(description=_("tvåfaktor"), boolean=True)
    def has_second_factor(self, obj):
        return user_has_device(obj)

    @admin.action(description=_("Återställ tvåstegsinloggningen (personen aktiverar den igen)"))
    def reset_second_factor(self, request, queryset):
        for user in queryset:
            services.second_factor_reset(user=user)
        self.message_user(
            request,
            _("Tvåstegsinloggningen är återställd för %(count)d konton.")
            % {"count": len(queryset)},
            messages.SUCCESS,
        )

    @admin.action(description=_("Lås upp efter för många inloggningsförsök"))
    def unlock(self, request, queryset):
        for user in queryset:
            axes_reset(username=user.get_username())
        self.message_user(
            request, _("%(count)d konton är upplåsta.") % {"count": len(queryset)}, messages.SUCCESS
        )
