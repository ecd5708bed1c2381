from django.contrib import messages
from django.contrib.auth import logout
from django.db.models import Sum
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from oscar.apps.customer import views
from oscar.core.loading import get_model

from oscar_forks.address_form import CountryChangeViewMixin
from oscar_forks.order_context import shopper_order_context
from shop.accounts.audit import audit_event
from shop.accounts.services import AccountNotDeletable, account_delete

from .forms import UserAddressForm

Order = get_model("order", "Order")

FILTER_FIELDS = ("date_from", "date_to", "order_number", "status")


class OrderHistoryView(views.OrderHistoryView):
    """Oscar's order history: newest first, filtered by any field (status included), and one query
    for the page's orders with their item counts (Oscar counts each order's lines separately)."""

    def get(self, request, *args, **kwargs):
        if "date_from" not in request.GET and any(request.GET.get(name) for name in FILTER_FIELDS):
            request.GET = request.GET.copy()
            request.GET.setdefault("date_from", "")  # Oscar binds the filter form only when this is present
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().annotate(item_count=Sum("lines__quantity")).order_by("-date_placed", "-pk")


class SignedLinkRequired:
    """A guest order's pages answer 404 unless the link is the order's signed one; only then do they ask for
    the order's email address (Oscar would show its email form to any number and hash)."""

    def dispatch(self, request, *args, **kwargs):
        order = Order._default_manager.filter(user=None, number=kwargs.get("order_number")).first()
        if order is None or not order.check_verification_hash(kwargs.get("hash", "")):
            raise Http404("No such order")
        return super().dispatch(request, *args, **kwargs)


class AnonymousOrderFormView(SignedLinkRequired, views.AnonymousOrderFormView):
    pass


class ShopperOrderContext:
    """Payments, parcels and timeline beside Oscar's order page (shop/order_payments.html, order_tracking.html)."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(shopper_order_context(self.object))
        return context


class OrderDetailView(ShopperOrderContext, views.OrderDetailView):
    pass


class AnonymousOrderDetailView(SignedLinkRequired, ShopperOrderContext, views.AnonymousOrderDetailView):
    pass


class ProfileDeleteView(views.ProfileDeleteView):
    """Oscar's "delete profile" (password to confirm), through the shop's service: refused while an order is
    in progress; the customer is signed out everywhere; orders stay for the books, unlinked."""

    def form_valid(self, form):
        account = self.request.user.pk
        try:
            account_delete(user=self.request.user)
        except AccountNotDeletable as refusal:
            form.add_error(
                None,
                _("Your orders %(numbers)s are still in progress. You can delete your account once they are done.")
                % {"numbers": ", ".join(refusal.order_numbers)},
            )
            return self.form_invalid(form)
        audit_event("account-deleted", self.request, account=account)
        logout(self.request)  # this browser; every other session ended with the account
        messages.success(self.request, _("Your account and its personal data have been deleted."))
        return redirect(self.get_success_url())


class AddressCreateView(CountryChangeViewMixin, views.AddressCreateView):
    """A new address book entry, in the fields of its country."""

    form_class = UserAddressForm


class AddressUpdateView(CountryChangeViewMixin, views.AddressUpdateView):
    form_class = UserAddressForm
