class ShipmentRefused(Exception):
    """A shipment that cannot be made as asked; the message says why, in words staff understand."""
