#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on a built-in example: the exact region count of
# the 1×3×3 input / 2×2 kernel / 2-filter convolution layer (255 regions, where eq. (4) of Xiong et al.
# says 256), by enumeration and by Zaslavsky's theorem, with a certificate re-verified by the checker.
cd "$(dirname "$0")"
source scripts/setup.sh
chamber_install_missing
echo "building (log in build.log)..." >&2
chamber_build

example=examples/cnn_3x3x1_f2x2_s1_c2.arr
certificate=build/cnn_3x3x1_f2x2_s1_c2.certificate.json
echo "== chamber count $example"
build/bin/chamber count "$example"
echo "== chamber enumerate $example --certificate $certificate"
build/bin/chamber enumerate "$example" --certificate "$certificate" --regions build/cnn_3x3x1_f2x2_s1_c2.regions.jsonl
echo "== chamber check $certificate --arrangement $example"
build/bin/chamber check "$certificate" --arrangement "$example"
