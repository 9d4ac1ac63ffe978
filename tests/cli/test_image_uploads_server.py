"""Bad image uploads against a real server: each gets a clear 4xx and the server keeps serving (issue 4)."""

from __future__ import annotations

import io
import subprocess
import time

import httpx
import pytest
from PIL import Image

from tests.cli.test_serve_and_cli import CLI, _env, _port


@pytest.fixture
def server(tmp_path):
    port, db = _port(), tmp_path / "img.db"
    key = subprocess.run(CLI + ["keys", "create", "--role", "platform"], env=_env(db), capture_output=True, text=True, check=True).stdout.strip()
    proc = subprocess.Popen(CLI + ["serve", "--port", str(port)], env=_env(db), stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(100):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.2)
    yield httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=30)
    proc.terminate()
    proc.wait(10)


def _jpeg() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (320, 240), (10, 120, 200)).save(buf, "JPEG")
    return buf.getvalue()


def _bomb() -> bytes:
    buf = io.BytesIO()
    Image.new("1", (30000, 30000)).save(buf, "PNG")
    return buf.getvalue()


PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def test_bad_uploads_get_clear_4xx_and_the_server_keeps_serving(server):
    good = _jpeg()
    cases = {
        "corrupt": (good[: len(good) // 3], 422),
        "bomb": (_bomb(), 413),
        "pdf named .jpg": (PDF, 422),
        "50 MB": (b"\xff\xd8\xff" + b"\0" * (50 << 20), 413),
    }
    for name, (data, status) in cases.items():
        r = server.post("/v1/images", files={"file": ("x.jpg", data, "image/jpeg")})
        assert r.status_code == status, (name, r.status_code, r.text[:200])
        assert r.headers["content-type"].startswith("application/problem+json"), name
        assert r.json()["detail"], name
    assert server.get("/healthz").json() == {"status": "ok"}
    ok = server.post("/v1/images", files={"file": ("ok.jpg", good, "image/jpeg")})
    assert ok.status_code == 201 and ok.json()["media_type"] == "image/jpeg"
