from django.urls import path

from providers import openness_views, views

app_name = "providers"

urlpatterns = [
    path("stod/", views.offering_list, name="offering_list"),
    path("oppenhet/", openness_views.openness, name="openness"),
    path("oppenhet/<slug:table>.csv", openness_views.openness_csv, name="openness_csv"),
    path("stod/<slug:slug>/", views.offering_detail, name="offering_detail"),
    path("utforare/<slug:slug>/", views.provider_detail, name="provider_detail"),
]
