"""A local fake of PostNL's and DHL's tracking APIs and of their pushes to the shop.

One stdlib HTTP server on loopback: PostNL under /postnl (so its API_URL is f"{sim.url}/postnl"), DHL under
/dhl. Paths, headers and JSON shapes are the carriers' published ones (see the adapters' docstrings).
"""

from .server import CarrierSimulator

__all__ = ["CarrierSimulator"]
