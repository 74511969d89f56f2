#!/bin/sh
# Installs Debian's nginx for tests/test_pg_deploy.py (as root; idempotent: run it twice, nothing
# changes). It never leaves the system service running on port 80: the test starts its own nginx
# (`nginx -p <tmp prefix> -c <generated conf>` on a free port, killed after) from
# deploy/nginx/csm.conf. Prints the nginx binary's path.
set -eu
if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
    if [ "$(id -u)" != "0" ]; then
        echo "nginx is not installed and we are not root: tests/test_pg_deploy.py will be skipped" >&2
        exit 0
    fi
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq nginx >/dev/null 2>&1 || { apt-get update -qq >/dev/null && apt-get install -y -qq nginx >/dev/null; }
    # the package's postinst may have started the service on port 80 (where the init system lets
    # it): stop it, the tests start their own
    if [ -s /run/nginx.pid ] && kill -0 "$(cat /run/nginx.pid)" 2>/dev/null; then
        /usr/sbin/nginx -s quit || true
    fi
    if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet nginx 2>/dev/null; then
        systemctl stop nginx && systemctl disable --quiet nginx || true
    fi
fi
command -v nginx 2>/dev/null || echo /usr/sbin/nginx
