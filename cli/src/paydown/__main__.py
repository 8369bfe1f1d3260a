"""`python -m paydown`: the command line."""

import sys

from paydown.cli import main

sys.exit(main())
