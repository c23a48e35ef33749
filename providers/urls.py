from django.urls import path

from providers import views

app_name = "providers"

urlpatterns = [
    path("stod/", views.offering_list, name="offering_list"),
    path("stod/<slug:slug>/", views.offering_detail, name="offering_detail"),
    path("utforare/<slug:slug>/", views.provider_detail, name="provider_detail"),
]
