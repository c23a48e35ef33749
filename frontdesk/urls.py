"""Mottagningen's pages: the public referral slip (/lapp/) and, later, the staff console."""

from django.urls import path

from frontdesk import views

app_name = "frontdesk"

urlpatterns = [
    path("lapp/", views.slip_page, name="slip"),
    path("lapp/text/", views.slip_text, name="slip_text"),
]
