"""python -m loadtest: the load test's own command line (manage.py bench --load runs it with the defaults)."""
import sys

from loadtest.run import main

raise SystemExit(main(sys.argv[1:]))
