"""`make bench` section `images`, part 3 (hardening: cost in proportion to input): `PUT /v1/products/{id}`
naming 7 large PNGs (6000 x 6000, flat with a few shapes, a QR code and a line of text: a few
hundred KB each (zlib level 1), under the 40 Mpx per-image limit) on a served `shopwarden serve`, each round with
new images (nothing cached), against a baseline in the same run and server: the same listing with
its images drawn at 800 px. Then the probe's case: 20 such images in one listing (over the pixel
budget: refused with 413), and the server's peak RSS (VmHWM) after each phase.

SHOPWARDEN_BENCH_IMAGES_BEFORE=<git revision> measures that revision's server as well (its
sources extracted with `git archive`): the "before" of a change.
"""

from __future__ import annotations

import base64
import io
import os
import statistics
import subprocess
import time
from pathlib import Path

import numpy as np

from bench.measure import ROOT, WORK, Server, pct, remove_sqlite, shopwarden_cmd

SHOP = "bench-img"
SIDE = 6000


def drawn(seed: int, side: int = SIDE) -> bytes:
    """A flat PNG with shapes, a 5%-of-the-side QR code and a line of text, distinct per seed."""
    import zxingcpp
    from PIL import Image, ImageDraw, ImageFont

    rng = np.random.default_rng(seed)
    im = Image.new("RGB", (side, side), tuple(int(c) for c in rng.integers(200, 250, 3)))
    d = ImageDraw.Draw(im)
    for _ in range(4):
        x, y = (int(v) for v in rng.integers(0, side * 3 // 4, 2))
        d.rectangle([x, y, x + side // 8, y + side // 10], fill=tuple(int(c) for c in rng.integers(0, 200, 3)))
    code = Image.fromarray(np.asarray(zxingcpp.create_barcode(f"https://example.com/p/{seed}", zxingcpp.BarcodeFormat.QRCode).to_image(scale=1)))
    q = side // 20
    im.paste(code.convert("RGB").resize((q, q), Image.Resampling.NEAREST), (side - 2 * q, side - 2 * q))
    d.text((side // 20, side // 20), f"SKU {seed} limited offer", fill=(0, 0, 0), font=ImageFont.load_default(size=side // 40))
    buf = io.BytesIO()
    im.save(buf, "PNG", compress_level=1)
    return buf.getvalue()


def _vmhwm(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def _served(label: str, env: dict[str, str], rounds: int, probe20: bool, log) -> dict:
    import httpx

    db = WORK / f"large-images-{label}.db"
    remove_sqlite(db)
    url = f"sqlite:///{db}"
    envs = dict(os.environ) | env
    subprocess.run([*shopwarden_cmd(), "db", "upgrade"],
                   env=envs | {"SHOPWARDEN_DATABASE_URL": url}, check=True, capture_output=True, timeout=300)
    key = subprocess.run([*shopwarden_cmd(), "keys", "create", "--role", "platform"],
                         env=envs | {"SHOPWARDEN_DATABASE_URL": url}, check=True, capture_output=True, text=True, timeout=120).stdout.strip().splitlines()[-1]
    out: dict = {"small": [], "large": [], "again": []}
    with Server(url, f"large-images-{label}", env) as srv, httpx.Client(base_url=srv.base, headers={"Authorization": f"Bearer {key}"}, timeout=600) as c:
        c.put(f"/v1/shops/{SHOP}", json={"name": "bench", "kind": "enterprise", "policy": "douyin"}).raise_for_status()

        def upload(data: bytes) -> str:
            r = c.post("/v1/images", json={"data": base64.b64encode(data).decode()})
            r.raise_for_status()
            return r.json()["image_id"]

        def listing(pid: str, ids: list[str]) -> tuple[float, object]:
            body = {"shop_id": SHOP, "title": "加厚保温杯 316不锈钢 500ml", "category": "home/cups",
                    "skus": [{"sku_id": "a", "name": "500ml", "price": 59, "shipping_fee": 0}], "images": ids}
            t = time.perf_counter()
            r = c.put(f"/v1/products/{pid}", json=body)
            return time.perf_counter() - t, r

        c.get("/healthz")
        # warm: the OCR models load on first use, not inside a measured round
        listing("warm", [upload(drawn(10_000, 800))])
        for k in range(rounds):
            seconds, r = listing(f"small-{k}", [upload(drawn(20_000 + 7 * k + i, 800)) for i in range(7)])
            assert r.status_code == 200, r.text[:300]
            out["small"].append(seconds)
        out["hwm_small"] = _vmhwm(srv.proc.pid)
        for k in range(rounds):
            ids = [upload(drawn(30_000 + 7 * k + i)) for i in range(7)]
            seconds, r = listing(f"large-{k}", ids)
            assert r.status_code == 200, r.text[:300]
            out["large"].append(seconds)
            out["large_findings"] = sorted({f["rule"] for f in r.json()["findings"]})
            seconds, r = listing(f"large-{k}", ids)
            out["again"].append(seconds)
            log(f"  {label}: round {k}: 7 large {out['large'][-1]:.2f} s, named again {seconds:.2f} s, VmHWM {_vmhwm(srv.proc.pid):.0f} MB")
        out["hwm_large"] = _vmhwm(srv.proc.pid)
        if probe20:
            ids = [upload(drawn(40_000 + i)) for i in range(20)]
            seconds, r = listing("probe-20", ids)
            out["probe20"] = (seconds, r.status_code, r.json().get("detail", "")[:160] if r.status_code != 200 else "")
            out["hwm_probe20"] = _vmhwm(srv.proc.pid)
    return out


def bench_large_listing(res, quick: bool, log=print) -> None:
    sec = "images over HTTP (one `shopwarden serve`, SQLite)"
    rounds = 3 if quick else 7
    runs = {"after": _served("after", {}, rounds, True, log)}
    before = os.environ.get("SHOPWARDEN_BENCH_IMAGES_BEFORE")
    if before:
        src = WORK / f"src-{before[:12]}"
        if not src.exists():
            src.mkdir(parents=True)
            tar = subprocess.run(["git", "archive", before, "src"], cwd=ROOT, check=True, capture_output=True).stdout
            subprocess.run(["tar", "-x", "-C", str(src)], input=tar, check=True)
        runs["before"] = _served("before", {"PYTHONPATH": str(src / "src")}, max(1, rounds // 3), True, log)
    for label, r in runs.items():
        res.add(sec, f"[{label}] PUT /v1/products naming 7 new 6000x6000 PNGs (each analysed: QR, OCR pre-check, copy matching)",
                f"{statistics.median(r['large']):.2f} s", f"{pct(r['large'], 99):.2f} s",
                f"same listing, 7 images at 800 px: p50 {statistics.median(r['small']):.2f} s",
                f"{statistics.median(r['large']) / statistics.median(r['small']):.1f}x", "answer < 5 s",
                "PASS" if pct(r["large"], 99) < 5 else "FAIL",
                f"{len(r['large'])} rounds; the same 7 named again (cached readings): p50 {statistics.median(r['again']):.2f} s; "
                f"server VmHWM after the 800 px rounds {r['hwm_small']:.0f} MB, after the large rounds {r['hwm_large']:.0f} MB; findings {r.get('large_findings')}")
        if "probe20" in r:
            seconds, status, detail = r["probe20"]
            res.add(sec, f"[{label}] the probe: 20 new 6000x6000 PNGs in one listing", f"{seconds:.2f} s", "", "", "", "answer < 5 s, RSS < 800 MB",
                    "PASS" if seconds < 5 and r["hwm_probe20"] < 800 else "FAIL",
                    f"answered {status} {detail!r}; server peak RSS (VmHWM) over the whole run {r['hwm_probe20']:.0f} MB")


if __name__ == "__main__":  # pragma: no cover - `python -m bench.large_images [--quick]`: this section alone
    import sys

    class _Res:
        def add(self, *a, **k):
            print(" | ".join(str(x) for x in a))

    bench_large_listing(_Res(), "--quick" in sys.argv)
