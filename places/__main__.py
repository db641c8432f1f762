"""``python -m places``: see :mod:`places.cli`."""

import sys

from places.cli import main

sys.exit(main())
