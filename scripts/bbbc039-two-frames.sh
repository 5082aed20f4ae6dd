#!/usr/bin/env bash
# Issue 2's real run: train on the first 2 frames of BBBC039 train.txt, segment all 50 val.txt frames,
# and score them. Usage: scripts/bbbc039-two-frames.sh [MODE] [STEPS] [extra train options...]
# Data: $SEGMENT_CELLS_DATA or ../shared/data. Output: target/bench/bbbc039-2-MODE/.
set -euo pipefail
cd "$(dirname "$0")/.."
DATA=${SEGMENT_CELLS_DATA:-../shared/data}
D=$DATA/bbbc039
if [ ! -d "$D" ]; then echo "skipped: $D not found (set SEGMENT_CELLS_DATA)"; exit 0; fi
MODE=${1:-adversarial}; STEPS=${2:-3000}; shift $(( $# > 2 ? 2 : $# ))
OUT=${BENCH_OUT:-target/bench}/bbbc039-2-$MODE
JAR=${SEGMENT_CELLS_JAR:-src/cli/target/segment-cells.jar}
rm -rf "$OUT"; mkdir -p "$OUT"
# Model selection uses the last 10 train.txt frames (never trained on here), so val.txt stays unseen.
tail -10 "$D/train.txt" > "$OUT/select10.txt"
mkdir -p "$OUT/val-images" "$OUT/val-labels"
while read -r s; do ln -s "$(realpath "$D/images/$s.png")" "$OUT/val-images/$s.png"; ln -s "$(realpath "$D/labels/$s.png")" "$OUT/val-labels/$s.png"; done < "$D/val.txt"
/usr/bin/time -v java -jar $JAR train --images "$D/images" --labels "$D/labels" --list "$D/train.txt" --frames 2 \
  --validation-images "$D/images" --validation-labels "$D/labels" --validation-list "$OUT/select10.txt" \
  --mode "$MODE" --steps "$STEPS" --seed 1 --output "$OUT/model" "$@" 2> "$OUT/train.err" | tee "$OUT/train.log"
java -jar $JAR segment --model "$OUT/model" --output "$OUT/pred" "$OUT/val-images" 2>/dev/null | tail -1
java -jar $JAR evaluate --ground-truth "$OUT/val-labels" --predictions "$OUT/pred" --csv "$OUT/scores.csv" | tail -3
