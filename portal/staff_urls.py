"""The staff area under /personal/ (Swedish) and /en/personal/ (English)."""

from django.urls import path

from portal import staff

app_name = "staff"

urlpatterns = [
    path("", staff.home, name="home"),
    path("logga-in/", staff.StaffLoginView.as_view(), name="login"),
    path("logga-ut/", staff.StaffLogoutView.as_view(), name="logout"),
    path("tvafaktor/", staff.otp_verify, name="otp_verify"),
    path("tvafaktor/aktivera/", staff.otp_enrol, name="otp_enrol"),
    path("tvafaktor/reservkoder/", staff.backup_codes, name="backup_codes"),
    path("losenord/", staff.StaffPasswordChangeView.as_view(), name="password_change"),
    path(
        "losenord/klart/", staff.StaffPasswordChangeDoneView.as_view(), name="password_change_done"
    ),
]
