"""`colo-token`: log in to identity (`POST /token`, the password grant) and print the access token, for operators'
scripts, curl and the README's walk-through. Nothing here can mint a token: only identity signs them."""
import argparse
import getpass
import os
import sys
from pathlib import Path

import httpx

from shared.settings import ServiceSettings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--username", required=True, help="the account's e-mail")
    parser.add_argument("--password-file", type=Path,
                        help="a file holding the password (else COLO_TOKEN_PASSWORD, else it is asked)")
    parser.add_argument("--totp", help="the code of the authenticator app, for an account with a second factor")
    parser.add_argument("--identity-url", default=ServiceSettings().identity_url)
    args = parser.parse_args(argv)
    if args.password_file:
        password = args.password_file.read_text().rstrip("\n")
    else:
        password = os.environ.get("COLO_TOKEN_PASSWORD") or getpass.getpass(f"password of {args.username}: ")
    form = {"grant_type": "password", "username": args.username, "password": password}
    if args.totp:
        form["totp"] = args.totp
    try:
        response = httpx.post(f"{args.identity_url.rstrip('/')}/token", data=form, timeout=30)
    except httpx.HTTPError as error:
        print(f"identity at {args.identity_url} did not answer: {error}", file=sys.stderr)
        return 1
    if response.status_code != 200:
        print(f"login refused ({response.status_code}): {response.json().get('detail', response.text)}",
              file=sys.stderr)
        return 1
    print(response.json()["access_token"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
