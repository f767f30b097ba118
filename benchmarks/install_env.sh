#!/usr/bin/env bash
# Time and size of a fresh environment:  benchmarks/install_env.sh VENV_DIR 'PIP SPEC' [more pip args]
# e.g. benchmarks/install_env.sh /tmp/env-default .   (the default, inference-only install)
set -euo pipefail
dir=$1; spec=$2; shift 2
rm -rf "$dir"
python3.11 -m venv "$dir"
"$dir/bin/pip" install -q --upgrade pip
start=$(date +%s)
"$dir/bin/pip" install -q --no-cache-dir "$spec" "$@"
end=$(date +%s)
echo "install $spec $*: $((end - start)) s, $(du -sm "$dir" | cut -f1) MB, $("$dir/bin/pip" list 2>/dev/null | tail -n +3 | wc -l) packages"
