"""JWT bearer tokens (HS256, secret from configuration) and the permission dependencies.

Operators carry a role (admin, operator, accountant); front-office accounts carry the role client,
legal_guardian or reseller and the client id they belong to; services calling each other use the
role service. Extra permissions (such as `health_data`) are listed in `perms`.
"""
from collections.abc import Callable
from datetime import timedelta
from typing import Annotated, Literal

import jwt
from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ValidationError

from shared.clock import Clock
from shared.problems import Problem

Role = Literal["admin", "operator", "accountant", "client", "legal_guardian", "reseller", "service"]
STAFF: tuple[Role, ...] = ("admin", "operator")
ALGORITHM = "HS256"

bearer = HTTPBearer(auto_error=False, description="A Colo JWT: `colo-token --role operator` prints one.")


class Principal(BaseModel):
    sub: str
    role: Role
    client_id: str | None = None
    perms: list[str] = []


def issue_token(secret: str, clock: Clock, ttl: timedelta, principal: Principal) -> str:
    now = clock.now()
    claims = {**principal.model_dump(exclude_none=True), "iat": now, "exp": now + ttl}
    return jwt.encode(claims, secret, algorithm=ALGORITHM)


def decode_token(secret: str, token: str) -> Principal:
    """The token's principal. Its issue time is not checked: a service whose demo or test clock runs ahead
    signs tokens issued "in the future", which the expiry alone keeps short-lived."""
    try:
        claims = jwt.decode(token, secret, algorithms=[ALGORITHM],
                            options={"require": ["exp", "sub"], "verify_iat": False})
        return Principal.model_validate(claims)
    except (jwt.PyJWTError, ValidationError) as error:
        raise Problem(401, "invalid_token", "Invalid token", f"The bearer token was refused: {error}.") from error


async def authenticated(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> Principal:
    if credentials is None:
        raise Problem(401, "missing_token", "Authentication required", "Send 'Authorization: Bearer <token>'.")
    return decode_token(request.app.state.settings.jwt_secret.get_secret_value(), credentials.credentials)


CurrentPrincipal = Annotated[Principal, Depends(authenticated)]


def require_roles(*roles: Role) -> Callable[[Principal], Principal]:
    def check(principal: CurrentPrincipal) -> Principal:
        if principal.role not in roles:
            raise Problem(403, "forbidden", "Forbidden", f"This action needs one of the roles: {', '.join(roles)}.")
        return principal

    return check


Staff = Annotated[Principal, Depends(require_roles(*STAFF))]
BackOffice = Annotated[Principal, Depends(require_roles(*STAFF, "accountant", "service"))]
