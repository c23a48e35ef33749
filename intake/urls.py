"""Intake: the residents' three doors and the staff queues behind them (DOMAIN.md, "The intake
contract"). Public forms are Swedish at / and English under /en/; queues are under /personal/."""

from django.urls import path

app_name = "intake"

urlpatterns = []

# 1. Contact requests (intake.contact_views)
from intake import contact_views  # noqa: E402

urlpatterns += [
    path("stod/<slug:slug>/kontakta/", contact_views.contact_request, name="contact_request"),
    path(
        "stod/<slug:slug>/kontakta/skickad/",
        contact_views.contact_request_done,
        name="contact_request_done",
    ),
    path("personal/forfragningar/", contact_views.contact_queue, name="contact_queue"),
    path(
        "personal/forfragningar/<int:pk>/",
        contact_views.contact_request_detail,
        name="contact_request_detail",
    ),
]

# 2. Applications (intake.application_views)
from intake import application_views  # noqa: E402

urlpatterns += [
    path("ansok/", application_views.application_start, name="application_start"),
    path("ansok/kontrollera/", application_views.application_check, name="application_check"),
    path("ansok/skickad/", application_views.application_done, name="application_done"),
    path("ansok/<slug:step>/", application_views.application_step, name="application_step"),
    path("personal/ansokningar/", application_views.application_queue, name="application_queue"),
    path(
        "personal/ansokningar/<int:pk>/",
        application_views.application_detail,
        name="application_detail",
    ),
]

# 3. Reports of concern (intake.report_views)
from intake import report_views  # noqa: E402

urlpatterns += [
    path("orosanmalan/", report_views.report, name="report"),
    path("orosanmalan/skickad/", report_views.report_done, name="report_done"),
    path("personal/orosanmalningar/", report_views.report_queue, name="report_queue"),
    path("personal/orosanmalningar/<int:pk>/", report_views.report_detail, name="report_detail"),
]
