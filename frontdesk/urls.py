"""Mottagningen's pages: the public referral slip (/lapp/) and, later, the staff console."""

from django.urls import path

from frontdesk import call_log, console, views

app_name = "frontdesk"

urlpatterns = [
    path("lapp/", views.slip_page, name="slip"),
    path("lapp/text/", views.slip_text, name="slip_text"),
    path("personal/mottagning/", console.console, name="console"),
    path("personal/mottagning/samtal/", call_log.call_log_list, name="call_log"),
    path("personal/mottagning/samtal/ny/", call_log.call_log_new, name="call_log_new"),
    path("personal/mottagning/samtal/<int:pk>/", call_log.call_log_edit, name="call_log_edit"),
]
