"""The audit trail in the admin: superusers read who looked at which submission. Read only:
nobody adds, changes or deletes a record by hand (purge_expired removes old ones)."""

from django.contrib import admin

from intake.models import AccessRecord


@admin.register(AccessRecord)
class AccessRecordAdmin(admin.ModelAdmin):
    list_display = ["at", "username", "action", "kind", "reference_list"]
    list_filter = ["kind", "action"]
    search_fields = ["username"]
    date_hierarchy = "at"

    @admin.display(description="referenser")
    def reference_list(self, record):
        return ", ".join(record.references)

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
