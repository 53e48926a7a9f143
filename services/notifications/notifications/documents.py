"""Billing's documents, asked for over HTTP (a query, never inside a transaction): an invoice's or a credit
note's PDF."""
import httpx

from shared.problems import Problem, unavailable

PATHS = {"invoice": "/invoices/{id}/pdf", "credit_note": "/credit-notes/{id}/pdf"}


class Documents:
    def __init__(self, billing: httpx.AsyncClient) -> None:
        self.billing = billing

    async def pdf(self, kind: str, document_id: object) -> bytes | None:
        """The PDF, None when billing has no such document; a 503 Problem while billing cannot answer."""
        try:
            response = await self.billing.get(PATHS[kind].format(id=document_id))
        except httpx.HTTPError as error:
            raise _billing_down("did not answer") from error
        if response.status_code == 404:
            return None
        if response.status_code != 200:
            raise _billing_down(f"answered {response.status_code}")
        return response.content

    async def close(self) -> None:
        await self.billing.aclose()


def _billing_down(what: str) -> Problem:
    return unavailable("dependency_unavailable", f"The billing service {what}; the mail waits for its document.")
