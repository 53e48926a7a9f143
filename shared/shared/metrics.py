"""Prometheus figures, labelled by service so that several apps can share one process in tests."""
from prometheus_client import Counter, Gauge, Histogram

REQUESTS = Counter("colo_http_requests_total", "HTTP requests", ["service", "method", "route", "status"])
REQUEST_SECONDS = Histogram("colo_http_request_seconds", "HTTP request duration", ["service", "method", "route"])
HANDLED = Counter("colo_events_handled_total", "Events handled (outcome ok, failed, unavailable)",
                  ["service", "event_type", "outcome"])
HANDLER_SECONDS = Histogram("colo_event_handler_seconds", "Event handler duration", ["service", "event_type"])
OUTBOX_BACKLOG = Gauge("colo_outbox_backlog", "Events committed but not yet published", ["service"])
OUTBOX_AGE = Gauge("colo_outbox_oldest_seconds", "Age of the oldest event not yet published (0: none waits)",
                   ["service"])
EVENTS_PUBLISHED = Counter("colo_events_published_total", "Events published from the outbox, by type: the business "
                           "counters (orders.order.placed: bookings, billing.invoice.issued ...)",
                           ["service", "event_type"])
BROKER_CONNECTED = Gauge("colo_broker_connected", "1 while the process is connected to RabbitMQ", ["service"])
DEAD_LETTERS = Gauge("colo_dead_letters", "Messages in the dead-letter queue", ["service"])
JOB_RUNS = Counter("colo_job_runs_total", "Timed job runs", ["service", "job", "outcome"])
