"""OpenTelemetry traces across HTTP, SQL and the bus: one booking is one trace, from the gateway through orders and
stock to the e-mail.

Off unless `COLO_OTLP_ENDPOINT` names a collector (OTLP over HTTP): then each request, outgoing httpx call and SQL
statement is a span. An event carries the W3C trace context of the change that emitted it: written into its
envelope (`traceparent`) in the same transaction, so that the relay, later and elsewhere, publishes it as a child of
that change, in the AMQP message's headers; the consumer continues the trace from those headers.
"""
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from fastapi import FastAPI
from opentelemetry import propagate, trace
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor

TRACEPARENT = "traceparent"
tracer = trace.get_tracer("colo")


def configure(service: str, endpoint: str | None, app: FastAPI) -> None:
    """Export this process's spans to `endpoint` (OTLP/HTTP): its requests, httpx calls and SQL statements (asyncpg,
    under SQLAlchemy) traced. Without an endpoint, nothing: the API's default tracer records nothing."""
    if not endpoint:
        return
    provider = TracerProvider(resource=Resource.create({"service.name": service}))
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=f"{endpoint.rstrip('/')}/v1/traces")))
    trace.set_tracer_provider(provider)
    FastAPIInstrumentor.instrument_app(app, tracer_provider=provider, excluded_urls="healthz,readyz,metrics",
                                       exclude_spans=["receive", "send"])
    HTTPXClientInstrumentor().instrument(tracer_provider=provider)
    AsyncPGInstrumentor().instrument(tracer_provider=provider)


def current_traceparent() -> str | None:
    """The current span's context as a W3C `traceparent`, for an event emitted now; None when nothing is traced."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    return carrier.get(TRACEPARENT)


@contextmanager
def publishing(event_type: str, traceparent: str | None) -> Iterator[dict[str, Any]]:
    """A span for the relay's publish, child of the change that emitted the event; the headers that carry it on."""
    parent = propagate.extract({TRACEPARENT: traceparent} if traceparent else {})
    with tracer.start_as_current_span(f"{event_type} publish", context=parent, kind=trace.SpanKind.PRODUCER,
                                      attributes={"messaging.system": "rabbitmq"}):
        headers: dict[str, Any] = {}
        propagate.inject(headers)
        yield headers


@contextmanager
def consuming(event_type: str, consumer: str, headers: Mapping[str, Any] | None) -> Iterator[None]:
    """A span for handling one message, continuing the trace its headers carry."""
    carrier = {key: str(value) for key, value in (headers or {}).items() if key == TRACEPARENT}
    attributes = {"messaging.system": "rabbitmq", "messaging.consumer.group.name": consumer}
    with tracer.start_as_current_span(f"{event_type} process", context=propagate.extract(carrier),
                                      kind=trace.SpanKind.CONSUMER, attributes=attributes):
        yield
