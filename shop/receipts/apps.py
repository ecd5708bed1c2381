from django.apps import AppConfig


class ReceiptsConfig(AppConfig):
    """PDF receipts and credit notes: gap-free numbers, private files."""

    name = "shop.receipts"
    label = "shop_receipts"
