"""README.md's walk-throughs, run command by command and in order, as a new user would, so that README cannot drift.

Every ```sh block of README.md runs, in one bash session (its variables carry from block to block), from a folder
laid out as a checkout after `make up`: `var/secrets/` with the demonstration accounts' passwords, `var/mail/` where
the SMTP server writes each mail, `var/clock` the platform's demo clock, `.venv` this test's. The platform is this
test's own: the six services, the Stripe emulator and the gateway as processes, on ports, databases and a bus
namespace of their own; the README's `localhost:8080` and `localhost:8090` are rewritten to its gateway and
emulator. A call that answers an HTTP error fails the run, unless the README asks for the status (`-w`)
or the code of the refusal (`| jq .code`), which is how it shows one. ```shell blocks (`make up`, `make test`) are not
run.
"""
import asyncio
import os
import re
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from identity.app import IdentitySettings
from identity.bootstrap import ensure_account
from shared.testing import SUPERVISION_CODE, GatewayProcess, Infra, Platform, start_platform

ROOT = Path(__file__).resolve().parents[1]
README = ROOT / "README.md"
BLOCK = re.compile(r"^```sh\n(.*?)^```$", re.S | re.M)
REFUSAL_SHOWN = re.compile(r"\| jq (-r )?\.(code|detail)\b")
"""A call whose answer's `code` or `detail` the README shows is meant to be refused: it runs without
--fail-with-body (the call's `curl` may be on a line before, its arguments running on)."""
ACCOUNTS = {"admin@colo.local": ("admin", "admin_password"), "operator@colo.local": ("operator", "operator_password")}
PRELUDE = r"""
set -eEuo pipefail
trap 'echo "README command failed (exit $?): $BASH_COMMAND" >&2' ERR
curl() {
  case " $* " in
    *" -w "*|*" --write-out "*) command curl "$@" ;;
    *) command curl --fail-with-body "$@" ;;
  esac
}
make() {
  [ "$*" = "-s token" ] || { echo "make $* is not run here" >&2; return 1; }
  .venv/bin/colo-token --username operator@colo.local --password-file var/secrets/operator_password
}
"""

pytestmark = pytest.mark.e2e


@dataclass(frozen=True)
class Checkout:
    """The folder README's commands run in, and what its addresses become."""

    folder: Path
    gateway: str
    emulator: str
    identity: str
    """Where `make token` and `colo-token` log in: identity itself, as on a machine after `make up`."""

    def command(self, block: str) -> str:
        lines = block.replace("localhost:8080", self.gateway).replace("localhost:8090", self.emulator).splitlines()
        call = None
        for number, line in enumerate(lines):
            if re.search(r"\bcurl ", line):
                call = number
            if REFUSAL_SHOWN.search(line) and call is not None:
                lines[call] = re.sub(r"(?<!command )\bcurl ", "command curl ", lines[call], count=1)
        return "\n".join(lines)


def blocks() -> list[str]:
    return BLOCK.findall(README.read_text(encoding="utf-8"))


def test_every_runnable_block_goes_through_the_gateway():
    """The services stay reachable on their own ports for ops, but the README's examples use the gateway."""
    assert len(blocks()) > 20
    for block in blocks():
        assert not re.search(r"localhost:80(0\d)\b", block), block


@pytest.fixture(scope="module")
async def checkout(infra: Infra, tmp_path_factory: pytest.TempPathFactory) -> AsyncIterator[Checkout]:
    folder = tmp_path_factory.mktemp("readme")
    secrets, mail, logs = folder / "var" / "secrets", folder / "var" / "mail", folder / "var" / "log"
    for directory in (secrets, mail, logs):
        directory.mkdir(parents=True)
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1])
    async with start_platform(infra.child("readme"), tmp_path_factory.mktemp("readme-platform"), mail) as platform:
        await accounts(platform, secrets)
        (folder / "var" / "clock").symlink_to(platform.clock_file)
        (logs / "stripe-emulator.log").symlink_to(platform.stripe.log_path)
        (secrets / "stripe_secret_key").write_text(platform.stripe.secret_key)
        (secrets / "supervision_code").write_text(SUPERVISION_CODE)
        upstreams = {name: f"127.0.0.1:{process.port}" for name, process in platform.processes.items()}
        gateway = GatewayProcess(upstreams, tmp_path_factory.mktemp("readme-gateway")).start()
        try:
            await gateway.wait_ready()
            yield Checkout(folder, f"127.0.0.1:{gateway.port}", f"127.0.0.1:{platform.stripe.port}",
                           platform.processes["identity"].url)
        finally:
            gateway.stop()


async def accounts(platform: Platform, secrets: Path) -> None:
    """The first admin and the demonstration operator, as `make up` creates them."""
    settings = IdentitySettings(database_url=platform.processes["identity"].env["COLO_DATABASE_URL"])
    for email, (role, file) in ACCOUNTS.items():
        password = f"{role} password of the README run"
        (secrets / file).write_text(password + "\n")
        await ensure_account(settings, email, role.title(), role, ["health_data"] if role == "admin" else [], password)


@pytest.mark.timeout(900)
async def test_the_readme_runs_from_top_to_bottom(checkout: Checkout):
    transcript = checkout.folder / "transcript.log"
    script = PRELUDE + "".join(
        f'\necho "--- README block {n} $(date +%T.%N)"\n{checkout.command(block)}' for n, block in enumerate(blocks(), 1))
    with transcript.open("wb") as output:
        shell = await asyncio.create_subprocess_exec(
            "bash", cwd=checkout.folder, stdin=subprocess.PIPE, stdout=output, stderr=subprocess.STDOUT,
            env={**os.environ, "COLO_IDENTITY_URL": checkout.identity})
        try:
            await asyncio.wait_for(shell.communicate(script.encode()), timeout=840)
        except TimeoutError:
            shell.kill()
            await shell.wait()
    assert shell.returncode == 0, transcript.read_text(errors="replace")[-6000:]
