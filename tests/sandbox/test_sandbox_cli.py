"""``smsdesk sandbox serve``: bad values exit 2 on one line; a good run prints URL and token."""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from tui.cli import run
from tui.sandbox import DEMO_TOKEN


@pytest.mark.parametrize("args", [
    ["--port", "70000"], ["--port", "http"], ["--chaos", "1.5"], ["--contacts", "-1"],
    ["--inbound-rate", "fast"], ["--webhook-url", "ftp://x"], ["--seed", "x"],
    ["--chaos", "0.1", "--chaos-kinds", "gremlins"],
])
def test_bad_values_exit_2_with_one_line(args: list[str], capsys: pytest.CaptureFixture[str]
                                         ) -> None:
    with pytest.raises(SystemExit) as caught:
        code = run(["sandbox", "serve", *args])
        raise SystemExit(code)
    assert caught.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err and "\n" not in err and "error" in err


def test_serve_prints_url_and_token_and_answers_curl_like_requests() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "tui", "sandbox", "serve", "--port", "0", "--contacts", "25",
         "--inbound-rate", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines: list[str] = []
        deadline = time.monotonic() + 20
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if line.startswith("Press Ctrl+C") or not line:
                break
        output = "".join(lines)
        assert DEMO_TOKEN in output
        api = next(line.split()[-1] for line in lines if line.strip().startswith("API:"))
        assert api.startswith("http://127.0.0.1:") and api.endswith("/v1")
        response = httpx.get(f"{api}/contacts?limit=2",
                             headers={"Authorization": f"Bearer {DEMO_TOKEN}"}, timeout=5)
        assert response.status_code == 200
        assert response.json()["meta"]["pagination"]["total"] == 25
    finally:
        process.terminate()
        process.wait(10)
