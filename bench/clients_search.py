"""`make bench`: the client search at a realistic size, beside a plain ILIKE scan of the same data, in one run.

A scratch database, migrated to head, is filled with French clients (common surnames repeat, as they
do), their search columns derived by the very functions the service uses; then typical queries go
through `clients.services.list_clients` on a real session, the code path of `GET /clients`. It prints
p50/p95 latency per class of query, of a first pass over every class and of a second, warm one; it never
fails on a time. `--rows` makes it smaller; `--keep` keeps
the database for the next run, which reuses it (migrated to head) when it holds as many clients.
"""
import argparse
import asyncio
import os
import platform as host
import random
import statistics
import string
import time
from datetime import UTC, datetime, timedelta
from uuid import UUID

import asyncpg
from faker import Faker
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import async_sessionmaker

from clients import search_index, services
from clients.domain.record import Details
from clients.domain.search import fold, national_phone, phone_digits, search_text, sort_name
from shared.clock import SystemClock
from shared.db import UnitOfWork, make_engine
from shared.migrations import create_database, drop_database, upgrade

POOL = 20_000
COMMON_SURNAMES = (
    "Martin", "Bernard", "Thomas", "Petit", "Robert", "Richard", "Durand", "Dubois", "Moreau", "Laurent", "Simon",
    "Michel", "Lefebvre", "Leroy", "Roux", "David", "Bertrand", "Morel", "Fournier", "Girard", "Bonnet", "Dupont",
    "Lambert", "Fontaine", "Rousseau", "Vincent", "Muller", "Lefèvre", "Faure", "André", "Mercier", "Blanc",
    "Guérin", "Boyer", "Garnier", "Chevalier", "François", "Legrand", "Gauthier", "Garcia", "Perrin", "Robin",
)
"""France's most frequent surnames, most frequent first: a client base has hundreds of each."""
RARE_LOCALES = ("it_IT", "es_ES", "pl_PL", "de_DE", "nl_BE", "pt_PT")
"""Where the long tail of surnames comes from, Faker's fr_FR list having only 400."""
COLUMNS = (
    "id", "kind", "civility", "last_name", "first_name", "company_name", "email", "mobile", "landline",
    "address_lines", "postal_code", "city", "country", "recipient_preference", "disputed", "blocked", "dormant",
    "active", "search_text", "phone_digits", "sort_name", "version", "created_at", "updated_at", "client_code",
)
CLASSES = (
    "common surname + first name", "rare surname", "e-mail fragment", "phone, starts with", "phone, contains",
    "postal code", "surname + postal code", "2-3 letter prefix",
)


class Pools:
    """Faker values drawn once per field, then combined at random: a million Faker calls would take minutes."""

    def __init__(self, rng: random.Random) -> None:
        fake = Faker("fr_FR")
        fake.seed_instance(rng.randrange(2**32))
        self.faker_surnames = [fake.last_name() for _ in range(POOL)]
        rare = set()
        for locale in RARE_LOCALES:
            other = Faker(locale)
            other.seed_instance(rng.randrange(2**32))
            rare.update(other.last_name() for _ in range(POOL // 4))
        self.first_names = [fake.first_name() for _ in range(POOL)]
        self.rare_surnames = sorted(rare - set(self.faker_surnames) - set(COMMON_SURNAMES) - set(self.first_names))
        self.common_weights = [1 / (rank + 1) ** 0.6 for rank in range(len(COMMON_SURNAMES))]
        self.streets = [fake.street_address() for _ in range(POOL)]
        self.places = [(fake.postcode(), fake.city()) for _ in range(POOL)]
        self.landlines = [fake.phone_number() for _ in range(POOL)]
        self.companies = [fake.company() for _ in range(POOL)]
        self.domains = [fake.free_email_domain() for _ in range(50)] + ["orange.fr", "free.fr", "sfr.fr"] * 10
        self.complements = ["Bâtiment B", "Appartement 12", "Résidence Les Tilleuls", "BP 42", "Escalier C", "Lieu-dit"]


def surname(rng: random.Random, pools: Pools) -> str:
    """A quarter of clients bear one of the most frequent names; a fifth a rare one, a few a double name."""
    draw = rng.random()
    if draw < 0.25:
        return rng.choices(COMMON_SURNAMES, pools.common_weights)[0]
    if draw < 0.45:
        return rng.choice(pools.rare_surnames)
    if draw < 0.50:
        return f"{rng.choice(pools.faker_surnames)}-{rng.choice(pools.faker_surnames)}"
    return rng.choice(pools.faker_surnames)


def email(rng: random.Random, pools: Pools, first: str, last: str) -> str:
    first, last = ("".join(c for c in fold(name) if c in string.ascii_lowercase) for name in (first, last))
    local = rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{rng.randrange(100)}",
                        f"{last}.{first}", f"{first}_{last}"))
    return f"{local}@{rng.choice(pools.domains)}"


def mobile(rng: random.Random) -> str:
    """A French mobile number typed the way operators do: grouped, dotted, international, or not."""
    digits = f"0{rng.choice('67')}{rng.randrange(10**8):08d}"
    pairs = [digits[i:i + 2] for i in range(0, 10, 2)]
    return rng.choice((digits, " ".join(pairs), ".".join(pairs), "-".join(pairs),
                       "+33 " + digits[1] + " " + " ".join(pairs[1:]), "+33" + digits[1:]))


def client_row(rng: random.Random, pools: Pools, now: datetime, number: int) -> tuple:
    draw = rng.random()
    kind = "private" if draw < 0.90 else "professional" if draw < 0.97 else "prospect"
    first, last = rng.choice(pools.first_names), surname(rng, pools)
    postal_code, city = rng.choice(pools.places)
    address = (rng.choice(pools.streets),) + ((rng.choice(pools.complements),) if rng.random() < 0.1 else ())
    details = Details(
        kind=kind, civility=rng.choice(("M.", "Mme")) if kind == "private" else None, last_name=last,
        first_name=first, company_name=rng.choice(pools.companies) if kind == "professional" else None,
        email=email(rng, pools, first, last) if rng.random() < 0.85 else None,
        mobile=mobile(rng) if rng.random() < 0.8 else None,
        landline=rng.choice(pools.landlines) if rng.random() < 0.4 else None,
        address_lines=address, postal_code=postal_code, city=city, dormant=rng.random() < 0.03,
        client_code=f"C{number:07d}",
    )
    client_id = UUID(int=rng.getrandbits(128), version=4)
    created = now - timedelta(seconds=rng.randrange(10 * 365 * 86400))
    return (client_id, kind, details.civility, last, first, details.company_name, details.email, details.mobile,
            details.landline, list(address), postal_code, city, "FR", "client", False, False, details.dormant,
            True, search_text(client_id, details), phone_digits(details), sort_name(details), 1, created, created,
            details.client_code)


def queries_of(rng: random.Random, sample: list[tuple], count: int) -> dict[str, list[tuple[str, str]]]:
    """Per class, (query, phone mode) pairs typed from clients that exist."""
    by_name = [r for r in sample if r[3] in COMMON_SURNAMES]
    rare = [r for r in sample if r[3] not in COMMON_SURNAMES and "-" not in r[3]]
    phones = [national_phone(p) for r in sample for p in (r[7], r[8]) if p]

    def typed_start(digits: str) -> str:
        head = digits[:rng.choice((4, 6, 8))]
        return rng.choice((head, " ".join(head[i:i + 2] for i in range(0, len(head), 2)),
                           ".".join(head[i:i + 2] for i in range(0, len(head), 2))))

    def email_fragment(address: str) -> str:
        local, domain = address.split("@")
        return rng.choice((local[:rng.randint(4, len(local))], f"{local}@{domain[:3]}"))

    def middle(digits: str) -> str:
        at = rng.randint(2, len(digits) - 6)
        return digits[at:at + rng.choice((5, 6))]

    def prefix(row: tuple) -> str:
        return fold(rng.choice((row[3], row[4], row[11])))[:rng.choice((2, 3))]

    makers = {
        "common surname + first name": lambda: (f"{(r := rng.choice(by_name))[3]} {r[4]}", "starts_with"),
        "rare surname": lambda: (rng.choice(rare)[3], "starts_with"),
        "e-mail fragment": lambda: (email_fragment(rng.choice([r for r in sample if r[6]])[6]), "starts_with"),
        "phone, starts with": lambda: (typed_start(rng.choice(phones)), "starts_with"),
        "phone, contains": lambda: (middle(rng.choice(phones)), "contains"),
        "postal code": lambda: (rng.choice(sample)[10], "starts_with"),
        "surname + postal code": lambda: (f"{(r := rng.choice(sample))[3].lower()} {r[10]}", "starts_with"),
        "2-3 letter prefix": lambda: (prefix(rng.choice(sample)), "starts_with"),
    }
    return {name: [makers[name]() for _ in range(count)] for name in CLASSES}


def generate(rng: random.Random, pools: Pools, now: datetime, start: int, count: int, sample: list[tuple]
             ) -> list[tuple]:
    """A batch of clients numbered from `start` + 1, some of which join the sample."""
    batch = [client_row(rng, pools, now, start + i + 1) for i in range(count)]
    sample.extend(rng.sample(batch, min(count, 200)))
    return batch


async def load(dsn: str, rows: int, rng: random.Random) -> list[tuple]:
    """Generate and COPY the clients with the secondary indexes dropped, derive their words (client_words), then
    rebuild the indexes: what a bulk load does.

    Returns a sample of the rows, to type queries from.
    """
    started = time.perf_counter()
    pools = Pools(rng)
    print(f"  Faker pools: {time.perf_counter() - started:.1f} s", flush=True)
    connection = await asyncpg.connect(dsn)
    try:
        found = await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'clients' AND indexname <> 'pk_clients'")
        indexes = [r["indexdef"] for r in found]
        for row in found:
            await connection.execute(f'DROP INDEX "{row["indexname"]}"')
        words_key = await connection.fetchval("SELECT pg_get_constraintdef(oid) FROM pg_constraint "
                                              "WHERE conname = 'pk_client_words'")
        await connection.execute("ALTER TABLE client_words DROP CONSTRAINT pk_client_words")
        now, sample, generating, copying = datetime.now(UTC), [], 0.0, 0.0
        for start in range(0, rows, 50_000):
            at = time.perf_counter()
            batch = generate(rng, pools, now, start, min(50_000, rows - start), sample)
            generating += time.perf_counter() - at
            at = time.perf_counter()
            await connection.copy_records_to_table("clients", records=batch, columns=COLUMNS)
            copying += time.perf_counter() - at
        print(f"  {rows:,} clients generated in {generating:.0f} s, copied in {copying:.0f} s", flush=True)
        at = time.perf_counter()
        await connection.execute(search_index.FILL)
        print(f"  {await connection.fetchval('SELECT count(*) FROM client_words'):,} words derived "
              f"in {time.perf_counter() - at:.0f} s", flush=True)
    finally:
        await connection.close()
    at = time.perf_counter()
    words_index = f"ALTER TABLE client_words ADD CONSTRAINT pk_client_words {words_key}"
    await asyncio.gather(build(dsn, [words_index]), build(dsn, indexes))
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("VACUUM ANALYZE clients")
        await connection.execute("VACUUM ANALYZE client_words")
    finally:
        await connection.close()
    print(f"  indexes rebuilt, VACUUM ANALYZE: {time.perf_counter() - at:.0f} s; "
          f"load in all {time.perf_counter() - started:.0f} s", flush=True)
    return sample


async def build(dsn: str, definitions: list[str]) -> None:
    """Create these indexes on one connection; two of these share the machine's two cores."""
    connection = await asyncpg.connect(dsn)
    try:
        await connection.execute("SET maintenance_work_mem = '512MB'")
        for definition in definitions:
            await connection.execute(definition)
    finally:
        await connection.close()


async def reused(dsn: str, rows: int, rng: random.Random) -> list[tuple] | None:
    """When a kept database holds `rows` clients, the sample a load with this seed gives, else None.

    The clients are generated again, not copied: the same sample, so the same queries as in a fresh run.
    """
    connection = await asyncpg.connect(dsn)
    try:
        if await connection.fetchval("SELECT count(*) FROM clients") != rows:
            return None
    finally:
        await connection.close()
    started = time.perf_counter()
    pools, now, sample = Pools(rng), datetime.now(UTC), []
    for start in range(0, rows, 50_000):
        generate(rng, pools, now, start, min(50_000, rows - start), sample)
    print(f"  reusing the kept database of {rows:,} clients (sample generated again in "
          f"{time.perf_counter() - started:.0f} s)", flush=True)
    return sample


async def service_latencies(url: str, queries: list[tuple[str, str]]) -> tuple[list[float], float]:
    """Milliseconds per query through the service's search use case, and the mean number of clients found."""
    engine = make_engine(url, pool_size=1)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    latencies, found = [], []
    try:
        for q, mode in queries[:5] + queries:  # the first five warm the connection and the caches
            started = time.perf_counter()
            async with UnitOfWork(sessions, SystemClock(), "clients") as uow:
                rows, _ = await services.list_clients(uow, services.ClientSearch(q=q, phone_mode=mode), 50, None)
            latencies.append((time.perf_counter() - started) * 1000)
            found.append(len(rows))
    finally:
        await engine.dispose()
    return latencies[5:], statistics.mean(found[5:])


BASELINE_COLUMNS = ("last_name", "first_name", "company_name", "email", "mobile", "landline",
                    "array_to_string(address_lines, ' ')", "postal_code", "city")


async def baseline_latencies(dsn: str, queries: list[tuple[str, str]]) -> list[float]:
    """The same page by ILIKE on the raw columns, every word somewhere, without any index: the naive way."""
    connection = await asyncpg.connect(dsn)
    latencies = []
    try:
        await connection.execute("SET enable_bitmapscan = off; SET enable_indexscan = off")
        for q, _ in queries:
            words = q.split()
            where = " AND ".join("(" + " OR ".join(f"{c} ILIKE ${n}" for c in BASELINE_COLUMNS) + ")"
                                 for n in range(1, len(words) + 1))
            started = time.perf_counter()
            await connection.fetch(f"SELECT * FROM clients WHERE NOT dormant AND {where} "
                                   f"ORDER BY created_at, id LIMIT 51", *(f"%{w}%" for w in words))
            latencies.append((time.perf_counter() - started) * 1000)
    finally:
        await connection.close()
    return latencies


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


async def main(arguments: argparse.Namespace) -> None:
    server = os.environ.get("COLO_TEST_POSTGRES", "postgresql+asyncpg://postgres@127.0.0.1:5432")
    url = make_url(server).set(database=arguments.database).render_as_string(hide_password=False)
    dsn = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    rng = random.Random(arguments.seed)
    print(f"Colo client search benchmark, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, {os.cpu_count()} cores, "
          f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB, {host.platform()}, "
          f"load average {os.getloadavg()[0]:.2f}", flush=True)
    sample = None
    if arguments.keep and not create_database(url):
        upgrade("clients", url)
        sample = await reused(dsn, arguments.rows, rng)
    if sample is None:
        rng = random.Random(arguments.seed)
        drop_database(url)
        create_database(url)
    try:
        if sample is None:
            upgrade("clients", url)
            sample = await load(dsn, arguments.rows, rng)
        queries = queries_of(rng, sample, arguments.queries)
        print(f"{arguments.rows:,} clients; GET /clients?q=... (default sort: relevance, 50 a page) through "
              f"clients.services.list_clients; baseline: ILIKE '%word%' on the raw columns, no index", flush=True)
        first = {name: (await service_latencies(url, queries[name]))[0] for name in CLASSES}
        print("first pass over every class, caches as other work left them; then each class again, warm, as in a "
              "search in use:")
        print(f"{'class':<30}{'first p50':>10}{'first p95':>10}{'p50 ms':>9}{'p95 ms':>9}{'found':>7}   "
              f"{'ILIKE p50':>10}{'ILIKE p95':>10}  example")
        for name in CLASSES:
            latencies, found = await service_latencies(url, queries[name])
            baseline = await baseline_latencies(dsn, queries[name][:arguments.baseline])
            print(f"{name:<30}{statistics.median(first[name]):>10.1f}{p95(first[name]):>10.1f}"
                  f"{statistics.median(latencies):>9.1f}{p95(latencies):>9.1f}{found:>7.1f}   "
                  f"{statistics.median(baseline):>10.0f}{p95(baseline):>10.0f}  {queries[name][0][0]!r}", flush=True)
        print(f"load average at the end: {os.getloadavg()[0]:.2f} (other work on the cores skews every figure)")
    finally:
        if not arguments.keep:
            drop_database(url)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="clients to load (default 1,000,000)")
    parser.add_argument("--queries", type=int, default=100, help="queries per class through the service")
    parser.add_argument("--baseline", type=int, default=5, help="queries per class by sequential ILIKE scan")
    parser.add_argument("--seed", type=int, default=20261125)
    parser.add_argument("--keep", action="store_true", help="keep the database, and reuse a kept one of --rows")
    parser.add_argument("--database", default="colo_bench_clients_search", help="the scratch database's name")
    asyncio.run(main(parser.parse_args()))
