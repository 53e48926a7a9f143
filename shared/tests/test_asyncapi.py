"""docs/asyncapi.yaml is generated from shared/events.py and must never drift from it."""
import yaml

from shared.asyncapi import DEFAULT_OUTPUT, render
from shared.events import CATALOGUE


def test_committed_asyncapi_matches_the_event_catalogue() -> None:
    assert DEFAULT_OUTPUT.exists(), f"{DEFAULT_OUTPUT} is missing: run `colo-asyncapi` and commit it"
    committed = DEFAULT_OUTPUT.read_text(encoding="utf-8")
    assert committed == render(), (
        f"{DEFAULT_OUTPUT} is stale (shared/events.py changed since it was generated): "
        "run `colo-asyncapi` (or `make asyncapi`) and commit the result"
    )


def test_rendering_is_deterministic() -> None:
    assert render() == render()


def test_every_event_has_its_channel_operation_and_payload() -> None:
    document = yaml.safe_load(render())
    assert document["asyncapi"].startswith("3.")
    assert sorted(document["channels"]) == sorted(CATALOGUE)
    schemas = document["components"]["schemas"]
    for routing_key, event in CATALOGUE.items():
        channel = document["channels"][routing_key]
        assert channel["bindings"]["amqp"]["exchange"]["name"] == "colo.events"
        producer = event.TYPE.split(".")[0]
        operation = document["operations"][f"{producer}.publish.{routing_key}"]
        assert operation["action"] == "send"
        assert operation["channel"] == {"$ref": f"#/channels/{routing_key}"}
        (message,) = channel["messages"].values()
        name = message["$ref"].rsplit("/", 1)[1]
        payload = document["components"]["messages"][name]["payload"]
        envelope, specific = payload["allOf"]
        assert envelope == {"$ref": "#/components/schemas/Envelope"}
        assert specific["properties"]["type"]["const"] == event.TYPE
        assert specific["properties"]["producer"]["const"] == producer
        data = specific["properties"]["data"]["$ref"].rsplit("/", 1)[1]
        assert set(schemas[data]["properties"]) == set(event.model_fields)
    # every reference points at something in the document
    text = render()
    for line in text.splitlines():
        if "$ref: '#/components/schemas/" in line:
            assert line.split("/")[-1].rstrip("'") in schemas
