from django.http import FileResponse, Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .selectors import receipt_for_viewer


@never_cache
@require_GET
def receipt_download(request, number: str):
    receipt = receipt_for_viewer(number=number, user=request.user, signature=request.GET.get("h", ""))
    if receipt is None:
        raise Http404("No such receipt.")
    response = FileResponse(receipt.pdf.open("rb"), as_attachment=True, filename=receipt.filename)
    response["Cache-Control"] = "private, no-store"
    return response
