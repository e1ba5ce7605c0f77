"""Small things a user hits (issue 17 §3), each checked as the user meets it."""
from __future__ import annotations

import json
import urllib.request

from served import running_server


def test_serve_on_port_0_announces_the_port_it_bound(seed_ntriples):
    with running_server("--graph", str(seed_ntriples)) as (base, proc):   # running_server passes --port 0
        port = int(base.rsplit(":", 1)[1])
        assert port != 0
        line = proc.log_path.read_text(encoding="utf-8")
        assert f"http://127.0.0.1:{port}/sparql" in line and ":0/" not in line
        with urllib.request.urlopen(base + "/health", timeout=10) as r:
            assert json.loads(r.read())["status"] == "ok"
