"""snappy stream compression with pynsq (publish, consume) and nsqjs (consume): see lib/compression.py."""

import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import compression  # noqa: E402
import nsqconf as c  # noqa: E402

c.run("py_snappy", lambda e: compression.scenario(e, "snappy"))
