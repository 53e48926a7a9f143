"""`python -m identity.bootstrap --email admin@colo.local --password-file var/secrets/admin_password`: create a
staff account directly in identity's database, when none logs in with that e-mail yet (so that running it again
changes nothing). How a new platform gets its first admin, who then manages every other user through the API."""
import argparse
import asyncio
from datetime import timedelta
from pathlib import Path
from typing import get_args

from sqlalchemy import select
from sqlalchemy.ext.asyncio import async_sessionmaker

from identity import accounts
from identity.app import IdentitySettings
from identity.schemas import StaffRole
from identity.tables import Account
from shared.auth import PERMISSIONS
from shared.clock import clock_from
from shared.db import UnitOfWork, make_engine


async def ensure_account(settings: IdentitySettings, email: str, name: str, role: str, permissions: list[str],
                         password: str) -> bool:
    """True when the account was created, False when one already logs in with this e-mail."""
    engine = make_engine(settings.database_url, 1)
    try:
        async with UnitOfWork(async_sessionmaker(engine, expire_on_commit=False), clock_from(settings.clock_file),
                              "identity") as uow:
            if await uow.session.scalar(select(Account.id).where(Account.login == email.strip().lower())):
                return False
            await accounts.create_staff(uow, email, name, role, permissions, password, timedelta(hours=1))
            await uow.commit()
            return True
    finally:
        await engine.dispose()


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--email", required=True)
    parser.add_argument("--name", help="the name shown (default: the e-mail)")
    parser.add_argument("--role", choices=get_args(StaffRole), default="admin")
    parser.add_argument("--perm", action="append", choices=sorted(PERMISSIONS), default=[],
                        help="a permission, repeatable")
    parser.add_argument("--password-file", type=Path, required=True)
    args = parser.parse_args(argv)
    password = args.password_file.read_text().rstrip("\n")
    created = asyncio.run(ensure_account(IdentitySettings(), args.email, args.name or args.email, args.role,
                                         args.perm, password))
    print(f"identity: {args.role} {args.email} {'created' if created else 'already exists'}")


if __name__ == "__main__":
    main()
