"""`colo-migrate SERVICE`: create the service's database if missing and bring its schema to head."""
import argparse

from shared.migrations import autogenerate, upgrade
from shared.settings import ServiceSettings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("service", choices=["clients", "orders", "billing", "notifications", "stock", "identity"])
    parser.add_argument("--autogenerate", metavar="MESSAGE", help="write a new revision from the models instead")
    args = parser.parse_args()
    url = ServiceSettings(service_name=args.service).database_url
    if args.autogenerate:
        autogenerate(args.service, url, args.autogenerate)
    else:
        upgrade(args.service, url)
        print(f"{args.service}: schema at head")


if __name__ == "__main__":
    main()
