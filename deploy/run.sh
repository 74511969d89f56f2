#!/bin/sh
# Starts N Streamlit processes of the app on ports BASE_PORT .. BASE_PORT+N-1 (default 2 from 8501),
# all on one PostgreSQL (CSM_DB_URL) and one shared uploads folder (CSM_UPLOADS_DIR), for nginx's
# deploy/nginx/csm.conf in front. Without systemd (deploy/systemd/csm@.service does the same with
# restarts). Runs in the foreground; Ctrl-C or SIGTERM stops every process it started.
#
#   CSM_DB_URL=postgresql://csm:…@db-host:5432/csm CSM_UPLOADS_DIR=/srv/csm-uploads deploy/run.sh 4
#
# Env: CSM_DB_URL (required), CSM_UPLOADS_DIR (required: the same folder, NFS or the like, on every
# machine), CSM_RUN_DIR (logs and control folders; default /var/lib/csm), BASE_PORT (8501),
# BIND (127.0.0.1: nginx on this machine; the machine's private address when nginx is elsewhere),
# STREAMLIT (the venv's streamlit).
set -eu
n=${1:-2}
here=$(cd "$(dirname "$0")/.." && pwd)
: "${CSM_DB_URL:?set CSM_DB_URL=postgresql://user:password@host:port/database}"
: "${CSM_UPLOADS_DIR:?set CSM_UPLOADS_DIR to the shared uploads folder (the same for every process)}"
run_dir=${CSM_RUN_DIR:-/var/lib/csm}
base=${BASE_PORT:-8501}
bind=${BIND:-127.0.0.1}
streamlit=${STREAMLIT:-$here/.venv/bin/streamlit}
export CSM_DB_URL CSM_UPLOADS_DIR
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"  # fewer malloc arenas: RSS does not creep (docs/performance.md)
mkdir -p "$run_dir" "$CSM_UPLOADS_DIR"
cd "$here"
"$here/.venv/bin/python" -m csm init   # create or migrate once, before any process serves
pids=""
i=0
while [ "$i" -lt "$n" ]; do
    port=$((base + i))
    CSM_CONTROL_DIR="$run_dir/control-$port" "$streamlit" run serve.py --server.port "$port" \
        --server.address "$bind" --server.headless true --server.fileWatcherType none \
        --browser.gatherUsageStats false >>"$run_dir/streamlit-$port.log" 2>&1 &
    pids="$pids $!"
    echo "process $((i + 1)) of $n: port $port, pid $!, log $run_dir/streamlit-$port.log"
    i=$((i + 1))
done
trap 'kill $pids 2>/dev/null; wait; exit 0' INT TERM
wait
