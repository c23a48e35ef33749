"""The staff area under /personal/ (Swedish) and /en/personal/ (English)."""

from django.urls import path

from portal import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("logga-in/", staff.StaffLoginView.as_view(), name="login"),
    path("logga-ut/", staff.StaffLogoutView.as_view(), name="logout"),
]
