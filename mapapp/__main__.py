"""Entry point of ``python -m mapapp``."""

import sys

from mapapp.cli import main

sys.exit(main())
