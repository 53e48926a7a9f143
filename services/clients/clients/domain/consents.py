"""Consents to be contacted (GDPR): the client's newsletter and partner offers, each given or
withdrawn through a channel, by someone, at a time; re-confirmed at each order. Pure rules."""
from dataclasses import dataclass
from typing import Literal

Topic = Literal["newsletter", "partner_offers"]
Channel = Literal["back_office", "front_office", "order", "phone", "mail", "import"]
Action = Literal["given", "withdrawn", "confirmed"]
TOPICS: tuple[Topic, ...] = ("newsletter", "partner_offers")


@dataclass(frozen=True)
class Change:
    topic: Topic
    granted: bool
    action: Action


def changes(current: dict[Topic, bool], asked: dict[Topic, bool], confirming: bool = False) -> list[Change]:
    """The history lines an answer adds: a consent given or withdrawn when it changes; at a
    confirmation, every answer is recorded, the unchanged ones as confirmed."""
    lines = []
    for topic in TOPICS:
        if topic not in asked:
            continue
        granted = asked[topic]
        if granted != current[topic]:
            lines.append(Change(topic, granted, "given" if granted else "withdrawn"))
        elif confirming:
            lines.append(Change(topic, granted, "confirmed"))
    return lines
