"""Mollie's error shape: every failed API call answers with the same small JSON object."""

TITLES = {
    400: "Bad Request",
    401: "Unauthorized Request",
    404: "Not Found",
    405: "Method Not Allowed",
    422: "Unprocessable Entity",
}
DOCUMENTATION = "https://docs.mollie.com/overview/handling-errors"
AUTHENTICATION_DOCUMENTATION = "https://docs.mollie.com/overview/authentication"


class ApiError(Exception):
    """Raised anywhere while handling an API request; the server turns it into Mollie's error JSON."""

    def __init__(self, status: int, detail: str, *, field: str | None = None, documentation: str = DOCUMENTATION):
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.field = field
        self.documentation = documentation

    def body(self) -> dict:
        body = {"status": self.status, "title": TITLES.get(self.status, "Error"), "detail": self.detail}
        if self.field:
            body["field"] = self.field
        body["_links"] = {"documentation": {"href": self.documentation, "type": "text/html"}}
        return body


def unprocessable(detail: str, field: str | None = None) -> ApiError:
    return ApiError(422, detail, field=field)


def payment_not_found(payment_id: str) -> ApiError:
    return ApiError(404, f"No payment exists with token {payment_id}.")
