from allauth.account.decorators import reauthentication_required
from allauth.usersessions.internal.flows.sessions import end_sessions
from allauth.usersessions.models import UserSession
from allauth.usersessions.views import ListUserSessionsView
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .devices import device_label
from .personal_data import personal_data_export


class SessionListView(ListUserSessionsView):
    """allauth's sessions page, each session named by its device, each with its own "Sign out"."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for session in context["sessions"]:
            session.device = device_label(session.user_agent)
        return context


@require_POST
@login_required
def session_sign_out(request, pk: int):
    # Only the owner's sessions are found: another user's session id answers 404.
    session = get_object_or_404(UserSession, pk=pk, user=request.user)
    current = session.is_current()
    end_sessions(request, [session])
    if current:
        return redirect("account_login")
    messages.info(request, _("That session is signed out."))
    return redirect("usersessions_list")


@login_required
@reauthentication_required
def personal_data_download(request):
    """Everything the shop keeps about the signed-in customer, as a JSON file (password asked again first)."""
    data = personal_data_export(request.user)
    response = JsonResponse(data, json_dumps_params={"indent": 2})
    response["Content-Disposition"] = f'attachment; filename="my-data-{timezone.localdate().isoformat()}.json"'
    response["Cache-Control"] = "no-store"
    return response
