"""Root URLs. Public pages are Swedish at / and English under /en/."""

from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from portal import views

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("i18n/setlang/", set_language, name="set_language"),
    path("healthz/", views.healthz, name="healthz"),
    path("healthz/db/", views.healthz_db, name="healthz_db"),
]

urlpatterns += i18n_patterns(
    path("", views.home, name="home"),
    path("", include("providers.urls")),
    path("", include("pathways.urls")),
    path("", include("frontdesk.urls")),
    path("", include("intake.urls")),
    path("personal/", include("portal.staff_urls")),
    prefix_default_language=False,
)
