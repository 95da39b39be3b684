from django.urls import path

from retex.accounts import views

app_name = "accounts"
urlpatterns = [
    path("connexion/", views.StaffLoginView.as_view(), name="login"),
    path("connexion/code/", views.login_code, name="login_code"),
    path("deconnexion/", views.StaffLogoutView.as_view(), name="logout"),
    path("compte/securite/", views.security, name="security"),
    path("compte/securite/activer/", views.totp_start, name="totp_start"),
    path("compte/securite/application/", views.totp_setup, name="totp_setup"),
    path("compte/securite/desactiver/", views.totp_disable, name="totp_disable"),
    path(
        "compte/securite/codes-de-secours/",
        views.recovery_codes_renew,
        name="recovery_codes_renew",
    ),
    path("compte/mot-de-passe/", views.PasswordChangeView.as_view(), name="password_change"),
    path("mot-de-passe-oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "mot-de-passe-oublie/envoye/",
        views.PasswordResetSentView.as_view(),
        name="password_reset_sent",
    ),
    path("mot-de-passe/<uidb64>/<token>/", views.PasswordSetView.as_view(), name="password_set"),
]
