"""Staff sign-in and sign-out for the back office (authors never need an account)."""

from django.contrib.auth import views as auth_views

from retex.core.forms import describe_fields


class StaffLoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        describe_fields(context["form"])
        return context


class StaffLogoutView(auth_views.LogoutView):
    pass
