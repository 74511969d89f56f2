#!/bin/sh
# Empties the spike's PostgreSQL database (role csm, database ${1:-csm_spike}).
db=${1:-csm_spike}
su postgres -c "psql -q -d $db -c 'DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public AUTHORIZATION csm;'" 2>/dev/null
