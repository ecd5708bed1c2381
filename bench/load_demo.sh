#!/usr/bin/env bash
# Time the demo loader at benchmark scale on a scratch PostgreSQL database.
# Usage: bench/load_demo.sh [PRODUCTS]   (default 100000)
set -euo pipefail
cd "$(dirname "$0")/.."
products="${1:-100000}"
db="shop_bench"
export DATABASE_URL="postgres://postgres@127.0.0.1:5432/${db}"
export DJANGO_SETTINGS_MODULE=bench.search_settings MEDIA_ROOT="${MEDIA_ROOT:-$PWD/var/bench-media}"
psql -q -h 127.0.0.1 -U postgres -c "DROP DATABASE IF EXISTS ${db}" -c "CREATE DATABASE ${db}"
.venv/bin/python manage.py migrate --noinput -v0
start=$(date +%s)
.venv/bin/python manage.py load_demo_shop --products "$products" --no-index
echo "load_demo_shop --products ${products}: $(( $(date +%s) - start )) s"
start=$(date +%s)
.venv/bin/python manage.py load_demo_shop --products "$products" --no-index >/dev/null
echo "rerun (nothing to add): $(( $(date +%s) - start )) s"
