"""What operators read: /healthz, /readyz, /metrics' gauges read from the database at scrape time, and the request
log lines' client fields. It reads every domain, so it sits above them; the domains record into
shop.observability (log context, counters), below them."""
