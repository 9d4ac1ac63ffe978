"""`shopwarden serve --workers 2`: the database is migrated once, each worker builds its app from
the environment, and both answer the API and the pages; a page session opens on either worker, and
a key revoked from the command line (a third process) is refused by both at once, pages included."""

from __future__ import annotations

import re
import subprocess
import time
from pathlib import Path

import httpx

from tests.cli.test_serve_and_cli import CLI, _env, _port


def _signed_in(base: str, key: str) -> httpx.Cookies:
    with httpx.Client(base_url=base, timeout=30) as c:
        token = re.search(r'name="csrf" value="([^"]+)"', c.get("/signin").text).group(1)
        assert c.post("/signin", data={"csrf": token, "key": key}).status_code == 303
        return c.cookies


def test_serve_with_two_workers_answers_the_api_and_the_pages(tmp_path):
    port, db = _port(), tmp_path / "workers.db"
    key = subprocess.run(CLI + ["keys", "create", "--role", "platform"], env=_env(db), capture_output=True, text=True, check=True).stdout.strip()
    log = (tmp_path / "out.txt").open("w")
    proc = subprocess.Popen(CLI + ["serve", "--port", str(port), "--workers", "2"], env=_env(db), stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        auth = {"Authorization": f"Bearer {key}"}
        put = httpx.put(f"{base}/v1/shops/w1", json={"name": "双进程 two workers", "kind": "enterprise", "policy": "douyin"}, headers=auth, timeout=30)
        assert put.status_code in (200, 201), put.text
        answers = [httpx.get(f"{base}/v1/shops/w1/health", headers=auth, timeout=30).status_code for _ in range(20)]
        assert answers == [200] * 20
        assert httpx.get(f"{base}/signin", timeout=30).status_code == 200
        cookies = _signed_in(base, key)  # one cookie secret for both workers: every new connection is signed in
        assert [httpx.get(f"{base}/console", cookies=cookies, timeout=30).status_code for _ in range(10)] == [200] * 10
        subprocess.run(CLI + ["keys", "revoke", key.split("_")[1]], env=_env(db), capture_output=True, text=True, check=True)
        assert [httpx.get(f"{base}/v1/shops/w1/health", headers=auth, timeout=30).status_code for _ in range(6)] == [401] * 6
        assert [httpx.get(f"{base}/console", cookies=cookies, timeout=30).status_code for _ in range(6)] == [303] * 6
        children = [line for line in Path(f"/proc/{proc.pid}/task/{proc.pid}/children").read_text().split()]
        assert len(children) >= 2, children  # two worker processes under the supervisor
    finally:
        proc.terminate()
        proc.wait(20)
    assert "Traceback" not in (tmp_path / "out.txt").read_text()
