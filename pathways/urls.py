from django.urls import path

from pathways import views

app_name = "pathways"

urlpatterns = [
    path("hitta-stod/", views.question, name="start"),
    path("hitta-stod/akut/", views.emergency, name="emergency"),
    path("hitta-stod/resultat/", views.result, name="result"),
    path("hitta-stod/resultat/<slug:key>/", views.section, name="section"),
    path("hitta-stod/<slug:name>/", views.question, name="step"),
]
