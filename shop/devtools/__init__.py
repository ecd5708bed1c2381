"""Development and test tools, never installed in production: local stand-ins for the services the shop talks to
(Mollie, the carriers' tracking APIs, an OpenID Connect provider), the loopback HTTP server they share, and the
`runserver` and `simulators` commands that start them.

Only shop/settings/dev.py and shop/settings/test.py add this app; no product module imports it (tests/test_project.py
and tests/devtools/ hold that line). Product code learns where these stand-ins are from settings alone."""
