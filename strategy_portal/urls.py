from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from core import views as core_views
from pages.views import home
from people.forms import (
    PortalAuthenticationForm,
    PortalPasswordChangeForm,
    PortalSetPasswordForm,
)
from people.views import lockouts, password_reset

admin.site.site_header = "Digitalstrategie-Portal – Verwaltung"
admin.site.site_title = "Digitalstrategie-Portal"

urlpatterns = [
    path("", home.home, name="home"),
    path("dashboard/", home.dashboard, name="dashboard"),
    path("quellen/", home.sources, name="sources"),
    path("healthz", core_views.healthz, name="healthz"),
    # Before Django's own: the same page and name, with limits on the mails it sends.
    path(
        "accounts/password_reset/",
        password_reset.PasswordResetView.as_view(),
        name="password_reset",
    ),
    # Django's own views with the portal's wording of the login and password fields.
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(authentication_form=PortalAuthenticationForm),
        name="login",
    ),
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PortalPasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(form_class=PortalSetPasswordForm),
        name="password_reset_confirm",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("anmeldesperren/", lockouts.lockout_list, name="lockout_list"),
    path("anmeldesperren/aufheben/", lockouts.lockout_release, name="lockout_release"),
    path("kommunen/", include("municipalities.urls")),
    path("handlungsfelder/", include("fields_of_action.urls")),
    path("massnahmen/", include("measures.urls")),
    path("evaluierung/", include("evaluation.urls")),
    path("entwurf/", include("drafts.urls")),
    path("", include("pages.urls")),
    path("personen/", include("people.urls")),
    path("", include("api.urls")),  # /api/v1/, /api-schluessel/, /opendata/
    path("fachverfahren/", include("procedures.urls")),
    path("admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
