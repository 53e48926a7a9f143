"""structlog JSON logs; the correlation id of the current request or event is in every line.

Every line goes through one handler on the root logger, rendered by structlog: Colo's own lines and those
of the libraries that log with the standard library (uvicorn, httpx, WeasyPrint, fontTools, asyncio,
warnings) alike, so a service's output is one JSON object per line.
"""
import logging
import sys

import structlog
from structlog.contextvars import bind_contextvars, get_contextvars, merge_contextvars

QUIET = ("aiormq", "aio_pika", "uvicorn.access", "fontTools")
"""Loggers whose INFO lines say nothing an operator needs."""


def configure_logging(service: str, level: str = "INFO", json: bool = True) -> None:
    level_number = logging.getLevelNamesMapping()[level.upper()]
    stamped = [merge_contextvars, structlog.stdlib.add_log_level, structlog.processors.TimeStamper(fmt="iso", utc=True)]
    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=[*stamped, structlog.stdlib.add_logger_name],
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            structlog.processors.format_exc_info,
            structlog.processors.JSONRenderer() if json else structlog.dev.ConsoleRenderer(),
        ],
    ))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(level_number)
    # Libraries configured before us (uvicorn's own handlers) hand their lines to the root handler instead.
    for logger in list(logging.root.manager.loggerDict.values()):
        if isinstance(logger, logging.Logger):
            logger.handlers.clear()
            logger.propagate = True
    for name in QUIET:
        logging.getLogger(name).setLevel(logging.WARNING)
    logging.captureWarnings(True)
    structlog.configure(
        processors=[*stamped, structlog.stdlib.ProcessorFormatter.wrap_for_formatter],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.make_filtering_bound_logger(level_number),
        cache_logger_on_first_use=True,
    )
    structlog.contextvars.clear_contextvars()
    bind_contextvars(service=service)


def current_correlation_id() -> str | None:
    return get_contextvars().get("correlation_id")


log = structlog.get_logger()
