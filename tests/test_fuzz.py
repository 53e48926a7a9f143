"""Schemathesis on every service's OpenAPI, as an admin calls it: no input that the schema admits may answer a 5xx.

The platform is this module's own: the fuzz writes random settings, users and templates that other tests must not
see. Ids met in answers are fed back into paths, queries and bodies, so that the fuzz reaches existing resources
instead of stopping at 404s. Hypothesis is derandomized and bounded in examples: a run repeats the same inputs.
Only valid input is generated (schemathesis's positive mode): invalid input is tested on every route by
test_contract.py, and generating it costs three times as much.
"""
import re
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.generation import GenerationMode

from shared.testing import Infra, Platform, auth, start_platform

pytestmark = pytest.mark.e2e
SERVICES = ("identity", "clients", "stock", "orders", "billing", "notifications")
"""In the order that lets each reuse the ids the previous ones gave: clients and departures before orders."""
MAX_EXAMPLES = 5
"""Per operation: the six services' 230 operations stay within about half a minute on two cores (the whole suite
must stay well under 15 minutes); a longer exploration sets it higher by hand."""
FUZZ = settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
                phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
"""No shrinking: the first failing input, with its curl line, is enough, and shrinking over HTTP takes minutes."""
ADMIN = auth("admin", perms=["health_data", "supervision"])


@pytest.fixture(scope="module")
async def fuzzed(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Platform]:
    async with start_platform(infra.child("fuzz"), tmp_path_factory.mktemp("fuzz")) as started:
        yield started


class KnownIds:
    """Ids seen in answers, by the parameter name that takes them (`client_id`, `departure_id`, ...)."""

    LIMIT = 20

    def __init__(self) -> None:
        self.by_name: dict[str, list[str]] = {}

    def add(self, name: str, value: Any) -> None:
        if not isinstance(value, str) or not _is_uuid(value):
            return
        known = self.by_name.setdefault(name, [])
        if value not in known and len(known) < self.LIMIT:
            known.append(value)

    def learn(self, answer: Any, resource: str | None) -> None:
        """Every `*_id` field of the answer, and its own `id` (or its items') as `resource`."""
        if resource and isinstance(answer, dict):
            for item in [answer, *(answer.get("items") or [])]:
                if isinstance(item, dict):
                    self.add(resource, item.get("id"))
        for name, value in _fields(answer):
            if name.endswith("_id"):
                self.add(name, value)

    def choices(self) -> dict[str, list[str]]:
        """The ids known now, fixed for one operation's run: Hypothesis replays draws, so what they draw from must
        not grow during the run."""
        return {name: list(ids) for name, ids in self.by_name.items()}


def substitute(case: schemathesis.Case, data: st.DataObject, choices: dict[str, list[str]]) -> None:
    """Let Hypothesis choose, for each id parameter, between the generated value and a known one."""
    for container in (case.path_parameters, case.query, case.body):
        if not isinstance(container, dict):
            continue
        for name in sorted(container):
            if choices.get(name):
                container[name] = data.draw(st.sampled_from([container[name], *choices[name]]))


def _is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def _fields(answer: Any):
    if isinstance(answer, dict):
        for name, value in answer.items():
            yield name, value
            yield from _fields(value)
    elif isinstance(answer, list):
        for value in answer:
            yield from _fields(value)


@pytest.fixture(scope="module")
def known_ids() -> KnownIds:
    return KnownIds()


def resources(paths: list[str]) -> dict[str, str]:
    """The path parameter that names the resource answered at each path: `/stays` and `/stays/{stay_id}` give
    `stay_id`, so that what they answer feeds `/stays/{stay_id}/...`."""
    named = {}
    for path in paths:
        if match := re.fullmatch(r"(.*)/\{(\w+)\}", path):
            named[path] = named.setdefault(match[1], match[2])
    return named


def fuzz(operation: schemathesis.APIOperation, http: requests.Session, base_url: str, known: KnownIds,
         resource: str | None) -> str | None:
    """The first server error of the operation, with its curl line; None when every example was answered. Failures
    are collected rather than raised, so that Hypothesis neither replays a request nor stops the others."""
    failures: list[str] = []
    choices = known.choices()

    @FUZZ
    @given(case=operation.as_strategy(GenerationMode.POSITIVE), data=st.data())
    def run(case: schemathesis.Case, data: st.DataObject) -> None:
        substitute(case, data, choices)
        response = case.call(base_url=base_url, session=http, headers=ADMIN, timeout=30)
        try:
            case.validate_response(response, checks=[not_a_server_error])
        except FailureGroup as failure:
            failures.append(str(failure))
        if response.status_code < 300 and response.content and "json" in response.headers.get("content-type", [""])[0]:
            known.learn(response.json(), resource)

    run()
    return failures[0] if failures else None


@pytest.mark.timeout(240)
@pytest.mark.parametrize("service", SERVICES)
def test_no_request_makes_a_service_answer_a_server_error(fuzzed: Platform, known_ids: KnownIds, service: str):
    base_url = fuzzed.processes[service].url
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    schema.config.output.sanitization.update(enabled=False)  # the curl lines carry a test token of this run only
    operations = [result.ok() for result in schema.get_all_operations()]
    named = resources([operation.path for operation in operations])
    failures = []
    # Deletions last, so that the resources they remove have been fuzzed first.
    with requests.Session() as http:
        for operation in sorted(operations, key=lambda operation: operation.method.upper() == "DELETE"):
            if failure := fuzz(operation, http, base_url, known_ids, named.get(operation.path)):
                failures.append(f"{operation.label}: {failure}")
    assert not failures, f"{len(failures)} operations of {service} failed:\n\n" + "\n\n".join(failures)
