#!/usr/bin/env bash
# Make room in the device tool's 64 MiB for what a GPU call carries, and put things back after.
#
# The run tool copies the tracked tree (64.9 MiB on 2026-12-06, already over the limit alone:
# 52 of them the v1 bundle in public/models/cxr-studio-v1, ~13 the TypeScript side's fixtures,
# screenshots and committed sweep features, 4.7 of those the own-model fixtures in
# testdata/user-models), untracked files git does not ignore, and the carried paths. Each GPU call
# in training/README.md's queue has a profile: the tracked paths that call never reads, which
# step aside for it. Python on the device reads training/ and some bundle files, nothing else.
#
#   training/train/gpu_stage.sh out PROFILE [CARRIED...]   # PROFILE's paths -> /tmp/cxr-gpu-aside, then
#                                                           # the size check with the carried paths
#   (one run tool call, carry = the same CARRIED paths)
#   training/train/gpu_stage.sh in                          # everything back; run it even if the call failed
#   training/train/gpu_stage.sh size [CARRIED...]           # what would travel now, in MiB
#   training/train/gpu_stage.sh list                        # the profiles and what each moves
#
# While paths are aside, the studio, its tests and the CLI are broken: in a shared working
# tree, keep the window to the one call. `out` puts everything back by itself when the check
# fails.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUNDLE=public/models/cxr-studio-v1
ASIDE=/tmp/cxr-gpu-aside
LIMIT=$((64 * 1024 * 1024))

# Tracked, read by no Python job on the device: ~9 MB.
NOT_PYTHON="src bench cli e2e workers testdata docs public/examples training/runs/sampler_sweep"

profile() {
  case "$1" in
    # loso.py and train_all.py with the 45 MiB data pack: the whole bundle (neither reads it).
    pack) echo "$BUNDLE $NOT_PYTHON" ;;
    # generator_gpu.py (queue step 3): judges, UNet, text encoder, decoder stay.
    generator) echo "$BUNDLE/classifier.int8.onnx $BUNDLE/segmenter.int8.onnx $BUNDLE/vae_encoder.onnx $NOT_PYTHON" ;;
    # distill_decoder.py + distill_guidance.py (step 4): the decoder's feature loss needs the encoder.
    distill) echo "$BUNDLE/classifier.int8.onnx $BUNDLE/segmenter.int8.onnx $NOT_PYTHON" ;;
    # synthetic_gain.py pool (step 5, call 1): the generator and the project's judges.
    pool) echo "$BUNDLE/classifier.int8.onnx $BUNDLE/segmenter.int8.onnx $BUNDLE/vae_encoder.onnx $NOT_PYTHON" ;;
    # synthetic_gain.py grid (step 5 call 2, step 6): never reads the bundle's generator.
    grid) echo "$BUNDLE/unet.onnx $BUNDLE/text_encoder.onnx $BUNDLE/vae_decoder.onnx $NOT_PYTHON" ;;
    *) echo "unknown profile '$1' (pack, generator, distill, pool, grid)" >&2; return 1 ;;
  esac
}

bytes() { [ $# -gt 0 ] && du -cb "$@" 2>/dev/null | tail -1 | cut -f1 || echo 0; }

size() {
  local tracked untracked carried missing=()
  tracked=$(git ls-files -z | while IFS= read -r -d '' f; do [ -f "$f" ] && printf '%s\0' "$f"; done | xargs -0 -r du -cb | tail -1 | cut -f1)
  untracked=$(git ls-files -z -o --exclude-standard | xargs -0 -r du -cb | tail -1 | cut -f1)
  for c in "$@"; do [ -e "$c" ] || missing+=("$c"); done
  [ ${#missing[@]} -eq 0 ] || { echo "not here, so it cannot be carried: ${missing[*]}" >&2; return 1; }
  carried=$(bytes "$@")
  local total=$((${tracked:-0} + ${untracked:-0} + ${carried:-0}))
  awk -v t="${tracked:-0}" -v u="${untracked:-0}" -v c="${carried:-0}" -v s="$total" -v l="$LIMIT" 'BEGIN {
    printf "tracked %.1f MiB + untracked %.1f MiB + carried %.1f MiB = %.1f MiB (limit %.0f MiB, %.1f MiB to spare)\n",
           t / 2^20, u / 2^20, c / 2^20, s / 2^20, l / 2^20, (l - s) / 2^20 }'
  [ "$total" -le "$LIMIT" ] || { echo "too big for the device tool" >&2; return 1; }
}

back() {
  [ -e "$ASIDE/paths" ] || { echo "nothing aside at $ASIDE" >&2; return 1; }
  local p clash=0
  while IFS= read -r p; do
    [ -e "$p" ] && { echo "$p exists already: compare it with $ASIDE/tree/$p by hand" >&2; clash=1; continue; }
    mkdir -p "$(dirname "$p")"
    mv "$ASIDE/tree/$p" "$p"
  done < "$ASIDE/paths"
  [ "$clash" -eq 0 ] || return 1
  rm -rf "$ASIDE"
  git status --short | head -5
  echo "everything back in the tree"
}

case "${1:-}" in
  out)
    [ $# -ge 2 ] || { echo "usage: $0 out PROFILE [CARRIED...]" >&2; exit 2; }
    paths=$(profile "$2")
    shift 2
    [ -e "$ASIDE" ] && { echo "$ASIDE exists: something is already aside (run 'in' first)" >&2; exit 1; }
    mkdir -p "$ASIDE/tree"
    : > "$ASIDE/paths"
    for p in $paths; do
      [ -e "$p" ] || continue
      mkdir -p "$ASIDE/tree/$(dirname "$p")"
      mv "$p" "$ASIDE/tree/$p"
      echo "$p" >> "$ASIDE/paths"
    done
    echo "$(wc -l < "$ASIDE/paths") paths moved to $ASIDE; run 'training/train/gpu_stage.sh in' right after the call"
    size "$@" || { back; echo "put back: the call would not fit" >&2; exit 1; }
    ;;
  in)
    back
    ;;
  size)
    shift
    size "$@"
    ;;
  list)
    for p in pack generator distill pool grid; do echo "$p: $(profile "$p")"; done
    ;;
  *)
    sed -n '2,19p' "$0"
    exit 2
    ;;
esac
