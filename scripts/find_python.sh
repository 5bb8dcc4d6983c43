#!/usr/bin/env sh
# Print a working interpreter for Python X.Y (the first argument), or nothing.
# Tries `pythonX.Y` on PATH, then every pyenv-installed X.Y (pyenv's shim for a version
# that is installed but not selected exits non-zero, so it is tried, not trusted).
version="$1"
for candidate in "python$version" $(pyenv root 2>/dev/null)/versions/"$version".*/bin/"python$version"; do
    if "$candidate" -c 'import sys' >/dev/null 2>&1; then
        command -v "$candidate" 2>/dev/null || echo "$candidate"
        exit 0
    fi
done
exit 0
