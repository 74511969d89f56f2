"""Developer tools kept out of the product package csm/: the demo data generator (tools.demo) and
the speed benchmark (tools.bench). They use csm; csm never imports them. Run from the repository
root: `python -m tools.demo --help`, `python -m tools.bench --help`."""
