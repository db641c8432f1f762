"""``ct-arrest-map app`` stopped with SIGTERM stops Streamlit too, not only itself."""

import os
import subprocess
import sys
import time
import urllib.request

from browser import free_port


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as answer:
            return answer.status == 200
    except OSError:
        return False


def test_terminating_the_command_stops_the_server():
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "mapapp", "app", "--port", str(port), "--host", "127.0.0.1"]
    proc = subprocess.Popen(
        cmd, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 120
        while not answers(url):
            assert proc.poll() is None, "the app did not start"
            assert time.monotonic() < deadline, "the app did not answer in 120 s"
            time.sleep(0.5)
        proc.terminate()
        proc.wait(timeout=20)
        deadline = time.monotonic() + 20
        while answers(url):  # Streamlit, the command's child, must be gone too
            assert time.monotonic() < deadline, "Streamlit still serves after the command stopped"
            time.sleep(0.5)
    finally:
        if proc.poll() is None:
            proc.kill()
