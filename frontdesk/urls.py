"""Mottagningen's pages: the public referral slip (/lapp/) and, later, the staff console."""

from django.urls import path  # noqa: F401  (routes are added as the pages are built)

app_name = "frontdesk"

urlpatterns: list = []
