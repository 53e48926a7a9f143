"""What a client or a service needs to find identity's endpoints and check its tokens: the public keys (JWKS) and
the OpenID Connect discovery document. Both are public."""
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from shared.auth import ALGORITHM, PERMISSIONS, STAFF_ROLES

router = APIRouter(tags=["discovery"])
JWKS_MAX_AGE = 300
"""Seconds a cache may keep the JWKS: a key added is seen by everyone within this (see docs/operations.md)."""


@router.get("/.well-known/jwks.json", summary="The public keys that check every token, by kid (RFC 7517).")
async def jwks(request: Request) -> JSONResponse:
    return JSONResponse(request.app.state.keys.jwks(), headers={"Cache-Control": f"public, max-age={JWKS_MAX_AGE}"})


@router.get("/.well-known/openid-configuration", summary="OpenID Connect discovery: the endpoints and what they do.")
async def openid_configuration(request: Request) -> dict[str, Any]:
    settings = request.app.state.settings
    base = (settings.public_url or str(request.base_url)).rstrip("/")
    return {
        "issuer": settings.token_issuer,
        "jwks_uri": f"{base}/.well-known/jwks.json",
        "token_endpoint": f"{base}/token",
        "userinfo_endpoint": f"{base}/userinfo",
        "revocation_endpoint": f"{base}/revoke",
        "end_session_endpoint": f"{base}/logout",
        "grant_types_supported": ["password", "refresh_token", "client_credentials"],
        "response_types_supported": ["token"],
        "subject_types_supported": ["public"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_post", "client_secret_basic"],
        "id_token_signing_alg_values_supported": [ALGORITHM],
        "claims_supported": ["sub", "iss", "aud", "exp", "iat", "email", "name", "role", "perms", "client_id",
                             "guardian_id", "sid", "azp"],
        "colo_staff_roles": list(STAFF_ROLES),
        "colo_permissions": PERMISSIONS,
    }
