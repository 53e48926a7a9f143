"""`colo-token`: print a signed bearer token, for operators' scripts, curl and the README's walk-through."""
import argparse
from datetime import timedelta
from typing import get_args

from shared.auth import Principal, Role, issue_token
from shared.clock import SystemClock
from shared.settings import ServiceSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--role", choices=get_args(Role), default="operator")
    parser.add_argument("--sub", default="operator@colo.local", help="who the token speaks for")
    parser.add_argument("--client-id", help="for front-office roles: the client the account belongs to")
    parser.add_argument("--perm", action="append", default=[], help="extra permission, e.g. health_data")
    parser.add_argument("--hours", type=float, default=8)
    args = parser.parse_args()
    settings = ServiceSettings()
    if settings.jwt_secret is None:
        parser.error("COLO_JWT_SECRET (or COLO_JWT_SECRET_FILE) must hold the services' token secret")
    principal = Principal(sub=args.sub, role=args.role, client_id=args.client_id, perms=args.perm)
    print(issue_token(settings.jwt_secret.get_secret_value(), SystemClock(), timedelta(hours=args.hours), principal))


if __name__ == "__main__":
    main()
