"""Check that the FastAPI fraud peer and `modelgate serve` agree on the fraud contract.

Starts both servers on free ports of 127.0.0.1 and sends each the contract's example request
and every file under examples/fraud/requests/. Valid requests must get 200 from both with the
same risk_score (to 1e-6), the same reasons and the same model_version. Invalid ones must get a
4xx from both. Every request gets its own idempotency key, so modelgate runs the model for each.

Usage: /usr/bin/python3 bench/peers/check_fraud.py MODELGATE_BINARY
Exit status: 0 when they agree, 1 when they differ or a server fails, 2 for a usage error, and
77 when a Python package of the peer is missing, which ctest reports as a skipped test.
"""

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

PEERS_DIR = Path(__file__).resolve().parent
ROOT = PEERS_DIR.parent.parent
CONTRACT = ROOT / "examples" / "fraud" / "contract.yaml"
MODEL = ROOT / "examples" / "fraud" / "model" / "fraud.json"
REQUESTS = ROOT / "examples" / "fraud" / "requests"
SCORE_TOLERANCE = 1e-6
READY_TIMEOUT_S = 120
SKIP = 77


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_listening(process: subprocess.Popen, name: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"{name} exited with status {process.returncode} before listening:\n"
                     f"{log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"{name} did not listen on 127.0.0.1:{port} within {READY_TIMEOUT_S} s:\n"
             f"{log.read_text()}")


def post(port: int, body: bytes):
    """POST body to /v1/score and return (status, parsed reply or None)."""
    request = urllib.request.Request(f"http://127.0.0.1:{port}/v1/score", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=30) as reply:
            return reply.status, json.loads(reply.read())
    except urllib.error.HTTPError as error:
        return error.code, None


def with_new_key(document):
    if isinstance(document, dict) and "idempotency_key" in document:
        return {**document, "idempotency_key": f"check-{uuid.uuid4()}"}
    return document


def request_bodies():
    """Yield (name, body bytes, expected valid) for the contract example and request files."""
    import yaml
    example = yaml.safe_load(CONTRACT.read_text())["examples"][0]
    yield "contract example", json.dumps(with_new_key(example)).encode(), True
    for path in sorted(REQUESTS.glob("*.json")):
        text = path.read_bytes()
        try:
            text = json.dumps(with_new_key(json.loads(text))).encode()
        except ValueError:
            pass  # invalid-json.json is sent as it is
        yield path.name, text, path.name.startswith("valid-")


def compare(name: str, body: bytes, valid: bool, modelgate_port: int, peer_port: int) -> list:
    """Return the differences between the two servers' replies to one request."""
    modelgate_status, modelgate_reply = post(modelgate_port, body)
    peer_status, peer_reply = post(peer_port, body)
    if not valid:
        if 400 <= modelgate_status < 500 and 400 <= peer_status < 500:
            return []
        return [f"{name}: expected 4xx from both, got modelgate {modelgate_status}, "
                f"peer {peer_status}"]
    if modelgate_status != 200 or peer_status != 200:
        return [f"{name}: expected 200 from both, got modelgate {modelgate_status}, "
                f"peer {peer_status}"]
    problems = []
    difference = abs(modelgate_reply["risk_score"] - peer_reply["risk_score"])
    if difference > SCORE_TOLERANCE:
        problems.append(f"{name}: risk_score modelgate {modelgate_reply['risk_score']}, peer "
                        f"{peer_reply['risk_score']}, differ by {difference:.3g}")
    for member in ("reasons", "model_version"):
        if modelgate_reply[member] != peer_reply[member]:
            problems.append(f"{name}: {member} modelgate {modelgate_reply[member]}, peer "
                            f"{peer_reply[member]}")
    print(f"{name}: risk_score {modelgate_reply['risk_score']} and {peer_reply['risk_score']}, "
          f"reasons {peer_reply['reasons']}")
    return problems


def main() -> int:
    if len(sys.argv) != 2:
        print("usage: /usr/bin/python3 bench/peers/check_fraud.py MODELGATE_BINARY",
              file=sys.stderr)
        return 2
    binary = sys.argv[1]
    if not os.access(binary, os.X_OK):
        print(f"{binary} is not an executable file; pass the modelgate binary of a build "
              "folder, such as build/release/modelgate", file=sys.stderr)
        return 2
    try:
        import fastapi, pycountry, pydantic, uvicorn, xgboost, yaml  # noqa: F401
    except ImportError as error:
        print(f"SKIP: {error.name} is not installed for {sys.executable}; run "
              "scripts/install-deps.sh to install the peer's Debian packages")
        return SKIP
    if not MODEL.is_file():
        print(f"{MODEL} not found; the build trains it (cmake --build --preset release)")
        return 1

    processes = []
    with tempfile.TemporaryDirectory() as logs:
        try:
            modelgate_port, peer_port = free_port(), free_port()
            commands = {
                "modelgate": [binary, "serve", str(CONTRACT), "--host", "127.0.0.1", "--port",
                              str(modelgate_port), "--threads", "1", "--no-access-log",
                              "--state-dir", ""],
                "peer": [sys.executable, "-m", "fraud_fastapi.app", "--model", str(MODEL),
                         "--host", "127.0.0.1", "--port", str(peer_port)],
            }
            environment = {**os.environ, "PYTHONPATH": str(PEERS_DIR)}
            for name, command in commands.items():
                log = Path(logs) / f"{name}.log"
                with log.open("w") as output:
                    processes.append(subprocess.Popen(command, stdout=output, stderr=output,
                                                      env=environment))
            for process, (name, port) in zip(processes, [("modelgate", modelgate_port),
                                                         ("peer", peer_port)]):
                wait_listening(process, name, port, Path(logs) / f"{name}.log")

            problems = []
            for name, body, valid in request_bodies():
                problems += compare(name, body, valid, modelgate_port, peer_port)
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        # modelgate exits 0 after SIGTERM. Another status, such as a sanitizer's report at exit,
        # fails the check.
        modelgate = processes[0]
        if modelgate.returncode != 0:
            problems.append(f"modelgate exited with status {modelgate.returncode} after "
                            f"SIGTERM:\n{(Path(logs) / 'modelgate.log').read_text()}")
    for problem in problems:
        print(f"FAIL {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
