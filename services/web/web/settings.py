"""The web application's settings: where the services' APIs answer, and how its session cookie is sent."""
from pydantic import Field

from shared.settings import ServiceSettings


class WebSettings(ServiceSettings):
    service_name: str = "web"
    api_url: str = Field("http://127.0.0.1:8080/api",
                         description="The gateway's API prefix: each service answers under <api_url>/<service>/.")
    service_urls: dict[str, str] = Field(
        {}, description="A service's own URL, called instead of <api_url>/<service>: the gateway limits logins per "
                        "client address, and every login through the web application comes from its one address.")
    session_idle_minutes: int = Field(480, gt=0, description="A session unused this long is forgotten.")
    secure_cookies: bool = Field(
        True, description="Session cookie sent over HTTPS only; browsers also accept it from http://127.0.0.1.")
