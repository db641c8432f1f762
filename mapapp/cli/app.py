"""``ct-arrest-map app``: start the Streamlit app, from any directory."""

from __future__ import annotations

import argparse
import signal
import subprocess
import sys
import threading

from mapapp import bundled
from places import Resolver

#: The app's Streamlit settings, given on its command line so that they hold whatever
#: directory the app is started from (a ``.streamlit/config.toml`` is read from there).
STREAMLIT_OPTIONS = {
    "server.headless": "true",
    "server.maxUploadSize": "50",  # MB; Streamlit refuses larger uploads itself
    "browser.gatherUsageStats": "false",  # the tool runs offline: never phone home
    "client.toolbarMode": "viewer",  # no "Deploy" button or developer menu
}


def command(args: argparse.Namespace) -> int:
    """Start Streamlit on the installed app (``mapapp/app/main.py``); return when it stops.

    The gazetteer's name index is built first if it is not (a one-off step of
    about 20 s, said on stderr), so the app's first page is not a blank wait.
    """
    with Resolver() as resolver:  # the app's own: default cache, offline
        if not resolver.index_ready():
            resolver.offline  # noqa: B018  (opening it builds the index)
    options = {**STREAMLIT_OPTIONS, "server.port": str(args.port), "server.address": args.host}
    command = [sys.executable, "-m", "streamlit", "run", str(bundled.APP_SCRIPT)]
    command += [f"--{key}={value}" for key, value in options.items()]
    command += ["--", "--records", str(args.records.resolve())]
    print(f"ct-arrest-map: the app is at http://{args.host}:{args.port} (Ctrl-C stops it)",
          file=sys.stderr)  # fmt: skip
    with subprocess.Popen(command) as streamlit:
        # A stop asked of this process (SIGTERM: a test's terminate(), a service manager)
        # is passed on: Streamlit would otherwise live on, serving, with no parent.
        main = threading.current_thread() is threading.main_thread()
        if main:
            previous = signal.signal(signal.SIGTERM, lambda *_: streamlit.terminate())
        try:
            return streamlit.wait()
        except BaseException:  # Ctrl-C and the like: as subprocess.call does
            streamlit.kill()
            raise
        finally:
            if main:
                signal.signal(signal.SIGTERM, previous)
