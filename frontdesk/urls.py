"""Mottagningen's pages: the public referral slip (/lapp/), the console, the call log and the
statistics."""

from django.urls import path

from frontdesk import call_log, console, statistics_views, views

app_name = "frontdesk"

urlpatterns = [
    path("lapp/", views.slip_page, name="slip"),
    path("lapp/text/", views.slip_text, name="slip_text"),
    path("personal/mottagning/", console.console, name="console"),
    path("personal/mottagning/samtal/", call_log.call_log_list, name="call_log"),
    path("personal/mottagning/samtal/ny/", call_log.call_log_new, name="call_log_new"),
    path("personal/mottagning/samtal/<int:pk>/", call_log.call_log_edit, name="call_log_edit"),
    path("personal/statistik/", statistics_views.statistics_page, name="statistics"),
    path(
        "personal/statistik/<slug:tabell>.csv",
        statistics_views.statistics_csv,
        name="statistics_csv",
    ),
]
