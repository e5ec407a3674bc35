#!/usr/bin/env bash
# Make room for the data pack in the device tool's 64 MiB, and put things back after.
#
# The run tool copies the tracked tree (about 55 MiB, 52 of them the v1 bundle in
# public/models/cxr-studio-v1), untracked files git does not ignore, and the carried
# paths. The all-source pack (.pack/cxr256.npz, 45 MiB) fits only with the bundle out of
# the tree, and nothing on the GPU side of loso.py or the analysis stage needs it.
#
#   training/train/gpu_stage.sh out    # bundle -> /tmp/cxr-studio-v1.aside, then prints what will travel
#   (one run tool call, carry [".pack/cxr256.npz"])
#   training/train/gpu_stage.sh in     # bundle back; run it even if the call failed
#   training/train/gpu_stage.sh size   # what would travel now, in MiB
#
# While the bundle is out, the studio, its e2e tests and the CLI cannot load models: in a
# shared working tree, keep the window to the one call.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=public/models/cxr-studio-v1
ASIDE=/tmp/cxr-studio-v1.aside
LIMIT=$((64 * 1024 * 1024))

size() {
  local tracked untracked pack
  tracked=$(git ls-files -z | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done | xargs -0 -r du -cb | tail -1 | cut -f1)
  untracked=$(git ls-files -z -o --exclude-standard | xargs -0 -r du -cb | tail -1 | cut -f1)
  pack=$(du -cb .pack/cxr256.npz 2>/dev/null | tail -1 | cut -f1)
  local total=$((tracked + ${untracked:-0} + ${pack:-0}))
  awk -v t="$tracked" -v u="${untracked:-0}" -v p="${pack:-0}" -v s="$total" -v l="$LIMIT" 'BEGIN {
    printf "tracked %.1f MiB + untracked %.1f MiB + .pack/cxr256.npz %.1f MiB = %.1f MiB (limit %.0f MiB)\n",
           t / 2^20, u / 2^20, p / 2^20, s / 2^20, l / 2^20 }'
  [ "$total" -le "$LIMIT" ] || { echo "too big for the device tool" >&2; return 1; }
}

case "${1:-}" in
  out)
    [ -e "$ASIDE" ] && { echo "$ASIDE exists: the bundle is already aside (run 'in' first)" >&2; exit 1; }
    [ -f .pack/cxr256.npz ] || { echo "no .pack/cxr256.npz: run python3 -m training.data.pack_data" >&2; exit 1; }
    mv "$BUNDLE" "$ASIDE"
    echo "bundle moved to $ASIDE; run 'training/train/gpu_stage.sh in' right after the call"
    size || { mv "$ASIDE" "$BUNDLE"; echo "bundle put back" >&2; exit 1; }
    ;;
  in)
    [ -e "$ASIDE" ] || { echo "nothing aside at $ASIDE" >&2; exit 1; }
    [ -e "$BUNDLE" ] && { echo "$BUNDLE exists already: compare it with $ASIDE by hand" >&2; exit 1; }
    mv "$ASIDE" "$BUNDLE"
    git status --short -- "$BUNDLE"
    echo "bundle back in $BUNDLE"
    ;;
  size)
    size
    ;;
  *)
    sed -n '2,15p' "$0"
    exit 2
    ;;
esac
