"""RFC 9457 problem details: every error a client sees has a status, a stable code and a readable detail."""
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError
from starlette.exceptions import HTTPException as StarletteHTTPException

from shared.logging import log

MEDIA_TYPE = "application/problem+json"
UNSTORABLE_TEXT = {"22021", "22P05"}
"""PostgreSQL's codes for text it cannot store (a NUL character): the client's input, not a bug."""
UNAVAILABLE = ("08", "53", "57P")
"""SQLSTATE classes of a database that cannot serve now (connection lost, too many clients, shutting
down): the request may succeed when retried, so it is a 503, not a bug."""


class Problem(Exception):
    def __init__(self, status: int, code: str, title: str, detail: str, **extra: Any) -> None:
        super().__init__(detail)
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra


class DomainError(Exception):
    """A business rule refused the action (HTTP 409). Raised by pure domain code, which knows no HTTP."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class NotFound(Problem):
    def __init__(self, what: str, identifier: object) -> None:
        super().__init__(404, "not_found", "Not found", f"No {what} with id {identifier}.")


def _response(status: int, code: str, title: str, detail: str, **extra: Any) -> JSONResponse:
    body = {"type": f"https://colo.dev/problems/{code}", "title": title, "status": status, "detail": detail,
            "code": code, **extra}
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def install_problem_handlers(app: FastAPI) -> None:
    @app.exception_handler(Problem)
    async def problem(_: Request, error: Problem) -> JSONResponse:
        return _response(error.status, error.code, error.title, error.detail, **error.extra)

    @app.exception_handler(DomainError)
    async def refused(_: Request, error: DomainError) -> JSONResponse:
        return _response(409, error.code, "Action refused", error.message)

    @app.exception_handler(RequestValidationError)
    async def invalid(_: Request, error: RequestValidationError) -> JSONResponse:
        fields = [
            {"field": ".".join(str(part) for part in e["loc"]), "message": e["msg"], "type": e["type"]}
            for e in error.errors()
        ]
        detail = "; ".join(f"{f['field']}: {f['message']}" for f in fields)
        return _response(422, "invalid_request", "Invalid request", detail, errors=fields)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(_: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not_found", 405: "method_not_allowed"}.get(error.status_code, "http_error")
        return _response(error.status_code, code, str(error.detail), str(error.detail))

    @app.exception_handler(DBAPIError)
    async def database_refused(request: Request, error: DBAPIError) -> JSONResponse:
        sqlstate = getattr(error.orig, "sqlstate", None) or ""
        if sqlstate in UNSTORABLE_TEXT:
            return _response(422, "invalid_text", "Invalid request", "Text must not contain NUL characters.")
        if error.connection_invalidated or sqlstate.startswith(UNAVAILABLE):
            log.warning("request.database_unavailable", sqlstate=sqlstate, error=str(error.orig))
            response = _response(503, "database_unavailable", "Service unavailable",
                                 "The database cannot serve this request now; retry in a moment.")
            response.headers["Retry-After"] = "1"
            return response
        return await bug(request, error)

    @app.exception_handler(Exception)
    async def bug(_: Request, error: Exception) -> JSONResponse:
        log.exception("request.failed")
        return _response(500, "internal_error", "Internal error", "An unexpected error occurred; it has been logged.")
