"""Dashboards: the indicators of DOMAIN §5 defined once, read for any scope and period."""
