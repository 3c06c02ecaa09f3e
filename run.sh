#!/usr/bin/env bash
# Installs what is missing, builds, and runs the main job on a built-in example: the 1×3×3 input / 2×2 kernel /
# 2-filter convolution layer, where eq. (4) of Xiong et al. says 256. `chamber cnn` counts its linear regions exactly
# (255), proves that eq. (4) fails for every weight choice, and writes a certificate that the independent checker
# re-verifies; then the same layer as an arrangement file, counted by enumeration and by Zaslavsky's theorem; then
# the same from the Python module.
set -e
cd "$(dirname "$0")"
source scripts/setup.sh
chamber_install_missing
echo "building (log in build.log)..." >&2
chamber_build

network=examples/cnn_3x3x1_f2x2_s1_c2.json
network_certificate=build/cnn_3x3x1_f2x2_s1_c2.network-certificate.json
echo "== chamber cnn $network --certificate $network_certificate"
build/bin/chamber cnn "$network" --certificate "$network_certificate"
echo "== chamber check $network_certificate --network $network"
build/bin/chamber check "$network_certificate" --network "$network"

example=examples/cnn_3x3x1_f2x2_s1_c2.arr
certificate=build/cnn_3x3x1_f2x2_s1_c2.certificate.json
echo "== chamber count $example"
build/bin/chamber count "$example"
echo "== chamber enumerate $example --certificate $certificate"
build/bin/chamber enumerate "$example" --certificate "$certificate" --regions build/cnn_3x3x1_f2x2_s1_c2.regions.jsonl
echo "== chamber check $certificate --arrangement $example"
build/bin/chamber check "$certificate" --arrangement "$example"
echo "== from Python (build/python): chamber.Network.read('$network').count()"
PYTHONPATH=build/python /usr/bin/python3 -c "
import chamber
result = chamber.Network.read('$network').count()
print('linear regions:', result.regions, '- eq. (4):', result.eq4, '- verdict:', result.verdict)
print('threshold3.arr regions:', chamber.Arrangement.read('examples/threshold3.arr').count().regions)"
