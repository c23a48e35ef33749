"""Staff sign-in, the second factor and the staff start page."""

from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from portal.permissions import role_required


class StaffLoginView(auth_views.LoginView):
    template_name = "staff/login.html"
    redirect_authenticated_user = False


class StaffLogoutView(auth_views.LogoutView):
    pass


@require_safe
@role_required()
def home(request: HttpRequest) -> HttpResponse:
    return render(request, "staff/home.html", {})
