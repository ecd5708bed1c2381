"""A local fake of Mollie's v2 API (the subset the shop uses), its hosted checkout and its webhook calls.

Standard library plus requests only, and no Django: it stands in for an external service.
"""

from .server import MollieSimulator

__all__ = ["MollieSimulator"]
