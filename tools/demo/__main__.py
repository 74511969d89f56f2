"""python -m tools.demo --help"""

from tools.demo.cli import main

raise SystemExit(main())
