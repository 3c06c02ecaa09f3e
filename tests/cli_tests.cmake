# Black-box tests of the chamber command (exit codes and messages), run through CTest.
set(CHAMBER_BIN $<TARGET_FILE:chamber>)
set(EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set(EXAMPLE ${PROJECT_SOURCE_DIR}/examples/cnn_3x3x1_f2x2_s1_c2.arr)
set(MALFORMED ${CMAKE_CURRENT_SOURCE_DIR}/data/malformed)

# Each CLI test runs twice: as is, and with every LP on the exact path (CHAMBER_EXACT_LP=1).
function(chamber_cli_test name code regex)
  add_test(NAME cli:${name} COMMAND ${EXPECT} ${code} ${regex} ${ARGN})
  add_test(NAME cli-exact-lp:${name} COMMAND ${EXPECT} ${code} ${regex} ${ARGN})
  set_tests_properties(cli-exact-lp:${name} PROPERTIES ENVIRONMENT CHAMBER_EXACT_LP=1)
endfunction()

# Counting, both methods, text and JSON.
chamber_cli_test(count_text 0 "regions: 255" ${CHAMBER_BIN} count ${EXAMPLE})
chamber_cli_test(count_agree 0 "enumeration and Zaslavsky agree" ${CHAMBER_BIN} count ${EXAMPLE})
chamber_cli_test(count_json 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --json)
chamber_cli_test(count_json_polynomial 0 "\"characteristic_polynomial\": \\[" ${CHAMBER_BIN} count ${EXAMPLE} --json)
chamber_cli_test(count_zaslavsky 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --method zaslavsky --json)
chamber_cli_test(count_enumerate 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --method enumerate --json)
chamber_cli_test(count_bad_method 2 "method" ${CHAMBER_BIN} count ${EXAMPLE} --method guess)
# χ by the sweep, against the enumeration (disagreement exits 3).
chamber_cli_test(count_sweep 0 "\"max_states\": [0-9]+" ${CHAMBER_BIN} count ${EXAMPLE} --chi sweep --json)
chamber_cli_test(count_sweep_agree 0 "regions: 255" ${CHAMBER_BIN} count ${EXAMPLE} --chi sweep)
chamber_cli_test(count_bad_chi 2 "chi" ${CHAMBER_BIN} count ${EXAMPLE} --chi guess)
chamber_cli_test(info_text 0 "general position: no" ${CHAMBER_BIN} info ${EXAMPLE})
chamber_cli_test(info_json 0 "\"general_position\": false" ${CHAMBER_BIN} info ${EXAMPLE} --json)
chamber_cli_test(enumerate_json 0 "\"regions\": 255" ${CHAMBER_BIN} enumerate ${EXAMPLE} --json)

# User limits stop cleanly with exit 4.
chamber_cli_test(max_regions_enumerate 4 "region limit of 10" ${CHAMBER_BIN} count ${EXAMPLE} --method enumerate --max-regions 10)
chamber_cli_test(max_regions_zaslavsky 4 "region limit of 10" ${CHAMBER_BIN} count ${EXAMPLE} --max-regions 10)
chamber_cli_test(max_regions_certificate 4 "region limit of 5" ${CHAMBER_BIN} enumerate ${EXAMPLE} --max-regions 5
                 --certificate ${CMAKE_CURRENT_BINARY_DIR}/limited.json)
chamber_cli_test(time_limit 4 "time limit" ${CHAMBER_BIN} count ${CHAMBER_SHARED_BENCH}/instances/resonance5.arr
                 --method enumerate --time-limit 0.2)

# Usage errors exit 2.
chamber_cli_test(no_subcommand 2 "subcommand" ${CHAMBER_BIN})
chamber_cli_test(unknown_option 2 "nonsense" ${CHAMBER_BIN} count ${EXAMPLE} --nonsense)
chamber_cli_test(negative_time_limit 2 "time-limit" ${CHAMBER_BIN} count ${EXAMPLE} --time-limit -1)
chamber_cli_test(missing_file 2 "no-such.arr: cannot open" ${CHAMBER_BIN} count ${MALFORMED}/no-such.arr)

# Malformed arrangement files exit 2 naming file:line and the reason, for every command that reads them.
set(MALFORMED_CASES
  "empty.arr:0: empty file"
  "only_comments.arr:2: empty file"
  "too_few_rows.arr:2: header announces 2 hyperplanes, found 1"
  "too_many_rows.arr:3: more hyperplane rows"
  "wrong_width.arr:3: expected 3 numbers"
  "not_a_number.arr:2: entry 3 'x' is not a number"
  "zero_normal.arr:3: zero normal vector"
  "bad_header.arr:1: header must be 'n m'"
  "zero_dimension.arr:1: dimension n must be at least 1"
  "absurd_dimension.arr:1: dimension n 100000000 exceeds the limit"
  "zero_denominator.arr:2: entry 2 '1/0' is not a number"
  "binary.arr:1: header must be 'n m'")
foreach(case IN LISTS MALFORMED_CASES)
  string(REGEX MATCH "^[a-z_]+" stem "${case}")
  foreach(command count enumerate info)
    chamber_cli_test(malformed_${command}_${stem} 2 "${case}" ${CHAMBER_BIN} ${command} ${MALFORMED}/${stem}.arr)
  endforeach()
endforeach()

# The certificate round trip, with tampered copies rejected (exit 1) and non-JSON refused (exit 2).
add_test(NAME cli:certificate_roundtrip
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/certificate_roundtrip.sh ${CHAMBER_BIN} ${EXAMPLE}
                 ${CMAKE_CURRENT_BINARY_DIR}/roundtrip)

# Networks: exact counts, the eq. (4) verdict, formulas, random networks, sampling.
set(NETWORK ${CMAKE_CURRENT_SOURCE_DIR}/data/networks/cnn_3x3x1_f2x2_s1_c2.json)
set(MALFORMED_NETWORKS ${CMAKE_CURRENT_SOURCE_DIR}/data/malformed_networks)
chamber_cli_test(cnn_text 0 "linear regions: 255" ${CHAMBER_BIN} cnn ${NETWORK})
chamber_cli_test(cnn_structural 0 "verdict: fails-structural" ${CHAMBER_BIN} cnn ${NETWORK})
chamber_cli_test(cnn_json_eq4 0 "\"eq4\": 256" ${CHAMBER_BIN} cnn ${NETWORK} --json)
chamber_cli_test(cnn_json_verdict 0 "\"verdict\": \"fails-structural\"" ${CHAMBER_BIN} cnn ${NETWORK} --json)
chamber_cli_test(cnn_json_prop2 0 "\"condition_i\": false" ${CHAMBER_BIN} cnn ${NETWORK} --json)
chamber_cli_test(cnn_box 0 "\"regions\": [0-9]+" ${CHAMBER_BIN} cnn ${NETWORK} --box -1,1 --json)
chamber_cli_test(cnn_bad_box 2 "--box" ${CHAMBER_BIN} cnn ${NETWORK} --box 1,0)
chamber_cli_test(cnn_arrangement 0 "regions: 255" sh -c
  "${CHAMBER_BIN} cnn ${NETWORK} --arrangement ${CMAKE_CURRENT_BINARY_DIR}/first_layer.arr --quiet >/dev/null && ${CHAMBER_BIN} count ${CMAKE_CURRENT_BINARY_DIR}/first_layer.arr")
chamber_cli_test(cnn_max_regions 4 "region limit of 10" ${CHAMBER_BIN} cnn ${NETWORK} --max-regions 10)
chamber_cli_test(cnn_sampled 0 "\"distinct_patterns\": [0-9]+" ${CHAMBER_BIN} cnn ${NETWORK} --samples 2000 --json)
chamber_cli_test(cnn_breakpoints 0 "breakpoints: \\[\"" sh -c
  "${CHAMBER_BIN} random --input 1x1x1 --linear 3 --linear 3 --seed 2 -o ${CMAKE_CURRENT_BINARY_DIR}/mlp1d.json >/dev/null && ${CHAMBER_BIN} cnn ${CMAKE_CURRENT_BINARY_DIR}/mlp1d.json")
chamber_cli_test(formula_table1 0 "\"eq4\": 40" ${CHAMBER_BIN} formula --input 1x1x3 --conv 3:1x2:1 --json)
chamber_cli_test(formula_table1_theorem1 0 "\"theorem1\": 42" ${CHAMBER_BIN} formula --input 1x1x3 --conv 3:1x2:1 --json)
chamber_cli_test(formula_table2_lower 0 "\"theorem5_lower\": 120" ${CHAMBER_BIN} formula --input 1x1x4 --conv 2:1x2:1 --conv 2:1x2:1 --json)
chamber_cli_test(formula_table2_upper 0 "\"theorem5_upper\": 880" ${CHAMBER_BIN} formula --input 1x1x4 --conv 2:1x2:1 --conv 2:1x2:1 --json)
chamber_cli_test(formula_refutation 0 "eq. \\(4\\): 256" ${CHAMBER_BIN} formula --input 1x3x3 --conv 2:2x2:1)
chamber_cli_test(formula_fc 0 "\"serra_upper\"" ${CHAMBER_BIN} formula --input 1x1x2 --linear 4 --linear 4 --json)
chamber_cli_test(formula_parameters 0 "\"parameters\": 10" ${CHAMBER_BIN} formula --input 1x3x3 --conv 2:2x2:1 --json)
chamber_cli_test(formula_bad_conv 2 "--conv '2:2x:1'" ${CHAMBER_BIN} formula --input 1x3x3 --conv 2:2x:1)
chamber_cli_test(formula_kernel_too_large 2 "larger than its input" ${CHAMBER_BIN} formula --input 1x3x3 --conv 2:4x4:1)
chamber_cli_test(formula_bad_input 2 "--input" ${CHAMBER_BIN} formula --input 1x3 --conv 2:2x2:1)
chamber_cli_test(random_bad_weights 2 "weight distribution" ${CHAMBER_BIN} random --input 1x3x3 --conv 2:2x2:1
                 --weights gauss -o ${CMAKE_CURRENT_BINARY_DIR}/never.json)
chamber_cli_test(sample_json 0 "\"distinct_patterns\": [0-9]+" ${CHAMBER_BIN} sample ${NETWORK} --samples 1000 --json)
chamber_cli_test(sample_bad_sigma 2 "sigma" ${CHAMBER_BIN} sample ${NETWORK} --sigma -1)
add_test(NAME cli:network_certificate_roundtrip
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/network_roundtrip.sh ${CHAMBER_BIN} ${NETWORK}
                 ${CMAKE_CURRENT_BINARY_DIR}/network_roundtrip)

# Malformed network files exit 2 naming the file and the field path, for every command that reads them.
set(MALFORMED_NETWORK_CASES
  "empty.json: not valid JSON"
  "unknown_type.json: layers\\[0\\].type: unknown layer type"
  "wrong_shape.json: layers\\[0\\].weight\\[0\\]\\[0\\]\\[1\\]: expected 2 entries"
  "kernel_too_large.json: layers\\[0\\].kernel_size: kernel 4x2 is larger"
  "stride_zero.json: layers\\[0\\].stride: stride must be at least 1"
  "missing_bias.json: layers\\[0\\]: missing field \"bias\""
  "non_numeric.json: layers\\[0\\].weight\\[0\\]\\[0\\]\\[1\\]\\[0\\]: expected a number"
  "linear_wrong_width.json: layers\\[1\\].weight\\[1\\]: expected 4 entries"
  "no_layers.json: layers: no layers"
  "bad_input_shape.json: input_shape: expected \\[channels, height, width\\]")
foreach(case IN LISTS MALFORMED_NETWORK_CASES)
  string(REGEX MATCH "^[a-z_]+" stem "${case}")
  foreach(command cnn sample)
    chamber_cli_test(malformed_network_${command}_${stem} 2 "${case}" ${CHAMBER_BIN} ${command} ${MALFORMED_NETWORKS}/${stem}.json)
  endforeach()
endforeach()
chamber_cli_test(missing_network 2 "no-such.json" ${CHAMBER_BIN} cnn ${MALFORMED_NETWORKS}/no-such.json)
chamber_cli_test(cnn_prop2_budget 0 "\"verdict\": \"undecided\"" ${CHAMBER_BIN} cnn ${NETWORK} --prop2-budget 3 --json)

# Regions met by data: cnn --points.
set(POINTS_DIR ${CMAKE_CURRENT_SOURCE_DIR}/data/points)
set(EXAMPLE_NET ${PROJECT_SOURCE_DIR}/examples/cnn_3x3x1_f2x2_s1_c2.json)
chamber_cli_test(points_text 0 "points: 5 in 2 distinct regions of 255, 1 on a boundary" ${CHAMBER_BIN} cnn ${EXAMPLE_NET}
                 --no-verdict --points ${POINTS_DIR}/good.csv)
chamber_cli_test(points_json 0 "\"distinct_regions\": 2" ${CHAMBER_BIN} cnn ${EXAMPLE_NET} --no-verdict --json
                 --points ${POINTS_DIR}/good.csv)
chamber_cli_test(points_bad_number 2 "bad_number.csv:3: column 2: expected an exact number" ${CHAMBER_BIN} cnn
                 ${EXAMPLE_NET} --no-verdict --points ${POINTS_DIR}/bad_number.csv)
chamber_cli_test(points_wrong_dimension 2 "wrong_dimension.csv:2: expected 9 coordinates" ${CHAMBER_BIN} cnn
                 ${EXAMPLE_NET} --no-verdict --points ${POINTS_DIR}/wrong_dimension.csv)
chamber_cli_test(points_empty 2 "empty.csv: no points" ${CHAMBER_BIN} cnn ${EXAMPLE_NET} --no-verdict
                 --points ${POINTS_DIR}/empty.csv)
chamber_cli_test(points_missing 2 "missing.csv: cannot open" ${CHAMBER_BIN} cnn ${EXAMPLE_NET} --no-verdict
                 --points ${POINTS_DIR}/missing.csv)

# Datasets: resumable after kills, deterministic, verified; malformed specs exit 2 naming the field.
set(DATASET_DIR ${CMAKE_CURRENT_SOURCE_DIR}/data/dataset)
add_test(NAME cli:dataset_resume COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/dataset_resume.sh ${CHAMBER_BIN}
         ${DATASET_DIR}/small.json ${CMAKE_CURRENT_BINARY_DIR}/dataset_resume)
# A malformed spec: exit 2, the message names the spec file and the field.
function(dataset_spec_error name regex spec)
  chamber_cli_test(${name} 2 "${regex}" ${CHAMBER_BIN} dataset ${DATASET_DIR}/${spec}
                   --out ${CMAKE_CURRENT_BINARY_DIR}/dataset_bad)
endfunction()
dataset_spec_error(dataset_unknown_field "bad_unknown_field.json: sampels: unknown field" bad_unknown_field.json)
dataset_spec_error(dataset_bad_kernel "bad_kernel.json: architectures\\[0\\]: .*larger" bad_kernel.json)
dataset_spec_error(dataset_no_seeds "architectures: random networks need" bad_no_seeds.json)
dataset_spec_error(dataset_bad_weights "bad_weights.json: weights\\[0\\]" bad_weights.json)
dataset_spec_error(dataset_bad_json "bad_json.json: not valid JSON" bad_json.json)
dataset_spec_error(dataset_zero_budget "bad_budget.json: max_sweep_states: expected a positive integer" bad_budget.json)
dataset_spec_error(dataset_missing_network "networks\\[0\\]: no such file" bad_network_path.json)
chamber_cli_test(dataset_verify_not_dataset 2 "no manifest" ${CHAMBER_BIN} dataset --verify ${DATASET_DIR})
# Over max_flats, a one-layer χ comes from the sweep and must agree with the enumeration (else exit 3).
chamber_cli_test(dataset_sweep 0 "\"regions\":3626,\"method\":\"enumeration\\+zaslavsky\"" sh -c
                 "rm -rf ${CMAKE_CURRENT_BINARY_DIR}/dataset_sweep && ${CHAMBER_BIN} dataset ${DATASET_DIR}/sweep.json --out ${CMAKE_CURRENT_BINARY_DIR}/dataset_sweep -q && cat ${CMAKE_CURRENT_BINARY_DIR}/dataset_sweep/rows.jsonl")
chamber_cli_test(dataset_no_out 2 "give SPEC and --out" ${CHAMBER_BIN} dataset ${DATASET_DIR}/small.json)
chamber_cli_test(plot_dataset_not_dataset 2 "rows.jsonl: cannot open" ${CHAMBER_BIN} plot-dataset ${DATASET_DIR}
                 --svg ${CMAKE_CURRENT_BINARY_DIR}/plot.svg)
# The shipped data/ verifies, and its small datasets regenerate byte-identically.
add_test(NAME cli:shipped_data COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/shipped_data.sh ${CHAMBER_BIN} ${PROJECT_SOURCE_DIR}
         ${CMAKE_CURRENT_BINARY_DIR}/shipped_data)
chamber_cli_test(max_regions_cnn 4 "region limit of 10 reached" ${CHAMBER_BIN} cnn ${EXAMPLE_NET} --max-regions 10)
# Faults: full disk, unwritable paths, SIGINT/SIGTERM; outputs whole or absent (tests/cli/faults.sh).
add_test(NAME cli:faults COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/faults.sh ${CHAMBER_BIN} ${PROJECT_SOURCE_DIR}
         ${CMAKE_CURRENT_BINARY_DIR}/faults)
set_tests_properties(cli:faults PROPERTIES RUN_SERIAL TRUE)
# Hostile input through the CLI: every seed of the fuzzing corpora (exit 0/1/2/4 only, 10 s, 2 GB) and the defects of
# issue 12 with their exit codes and messages (tests/cli/hostile.sh).
add_test(NAME cli:hostile COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/hostile.sh ${CHAMBER_BIN} ${PROJECT_SOURCE_DIR}
         ${CMAKE_CURRENT_BINARY_DIR}/hostile)

# Regions along a segment: chamber line (no LP).
set(LINE_NET ${PROJECT_SOURCE_DIR}/examples/cnn_3x3x1_f2x2_s1_c2.json)
# A literal ";" is written "\;" (quoted) so that CMake keeps the list of points one argument.
set(LINE_THROUGH "0,0,0,0,0,0,0,0,0\;1,2,3,4,5,6,7,8,9")
chamber_cli_test(line_text 0 "breakpoints \\[.*regions crossed: [0-9]+ \\([0-9]+ distinct\\), transitions: [0-9]+"
                 ${CHAMBER_BIN} line ${LINE_NET} --through "${LINE_THROUGH}")
chamber_cli_test(line_json 0 "\"total_transitions\": [0-9]+" ${CHAMBER_BIN} line ${LINE_NET} --through "${LINE_THROUGH}" --json)
chamber_cli_test(line_json_breakpoint 0 "\"t\": \"[0-9]+/[0-9]+\"" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "-1,-1,-1,-1,-1,-1,-1,-1,-1\;1,2,3,4,5,6,7,8,9" --json)
chamber_cli_test(line_points_pairs 0 "2 segments, total transitions: [0-9]+" sh -c
  "printf '# two segments\\n0,0,0,0,0,0,0,0,0\\n1,2,3,4,5,6,7,8,9\\n-1,-1,-1,-1,-1,-1,-1,-1,-1\\n1,1,1,1,1,1,1,1,1\\n' > ${CMAKE_CURRENT_BINARY_DIR}/line_pairs.csv && ${CHAMBER_BIN} line ${LINE_NET} --points ${CMAKE_CURRENT_BINARY_DIR}/line_pairs.csv")
chamber_cli_test(line_points_odd 2 "good.csv: --points needs an even number of points" ${CHAMBER_BIN} line ${LINE_NET}
                 --points ${POINTS_DIR}/good.csv)
chamber_cli_test(line_points_missing 2 "missing.csv: cannot open" ${CHAMBER_BIN} line ${LINE_NET}
                 --points ${POINTS_DIR}/missing.csv)
chamber_cli_test(line_same_point 2 "P0 and P1 are equal" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "1,2,3,4,5,6,7,8,9\;1,2,3,4,5,6,7,8,9")
chamber_cli_test(line_dimension 2 "--through: point 2 has 3 coordinates" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "1,2,3,4,5,6,7,8,9\;1,2,3")
chamber_cli_test(line_bad_number 2 "--through: point 1: column 2" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "1,x,3,4,5,6,7,8,9\;1,2,3,4,5,6,7,8,9")
chamber_cli_test(line_three_points 2 "--through: expected 2 points" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "${LINE_THROUGH}\;1,1,1,1,1,1,1,1,1")
chamber_cli_test(line_no_segment 2 "exactly one of --through" ${CHAMBER_BIN} line ${LINE_NET})
chamber_cli_test(line_both 2 "exactly one of --through" ${CHAMBER_BIN} line ${LINE_NET} --through "${LINE_THROUGH}"
                 --points ${POINTS_DIR}/good.csv)
# 10,000-character --through lists: too many coordinates, too many points, and two points with 4,990-digit
# coordinates (refused or computed, exit 0 or 2, never 3).
string(REPEAT "1," 5000 LINE_LONG_COORDINATES)
chamber_cli_test(line_long_coordinates 2 "--through: point 1: more than 4096 coordinates" ${CHAMBER_BIN} line ${LINE_NET}
                 --through "${LINE_LONG_COORDINATES}")
string(REPEAT "0,0,0,0,0,0,0,0,1\;" 555 LINE_LONG_POINTS)
chamber_cli_test(line_long_points 2 "--through: expected 2 points P0\;P1, found 556" ${CHAMBER_BIN} line ${LINE_NET}
                 --through "${LINE_LONG_POINTS}0,0,0,0,0,0,0,0,0")
string(REPEAT "3" 4990 LINE_DIGITS)
chamber_cli_test(line_long_numbers 0 "exit=(0|2)$" sh -c
  "${CHAMBER_BIN} line ${LINE_NET} --through '0.${LINE_DIGITS},0,0,0,0,0,0,0,0\;1,2,3,4,5,6,7,8,-0.${LINE_DIGITS}' >/dev/null\; echo exit=$?")
# Each piece with its exact midpoint, each breakpoint with the layer that makes it.
chamber_cli_test(line_json_midpoint 0 "\"midpoint\": \\[" ${CHAMBER_BIN} line ${LINE_NET} --through "${LINE_THROUGH}" --json)
chamber_cli_test(line_json_layer 0 "\"layer\": 0" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "-1,-1,-1,-1,-1,-1,-1,-1,-1\;1,2,3,4,5,6,7,8,9" --json)
# --through-file FILE: the segment's 2 points from a points file (line) and the plane's 3 (slice).
chamber_cli_test(line_through_file 0 "1 segment, total transitions: [0-9]+" sh -c
  "printf '# P0 and P1\\n-1,-1,-1,-1,-1,-1,-1,-1,-1\\n\\n1,2,3,4,5,6,7,8,9\\n' > ${CMAKE_CURRENT_BINARY_DIR}/line_two.csv && ${CHAMBER_BIN} line ${LINE_NET} --through-file ${CMAKE_CURRENT_BINARY_DIR}/line_two.csv")
chamber_cli_test(line_through_file_count 2 "good.csv: --through-file needs exactly 2 points \\(P0 and P1\\), the file holds 5"
                 ${CHAMBER_BIN} line ${LINE_NET} --through-file ${POINTS_DIR}/good.csv)
chamber_cli_test(line_through_file_dimension 2 "wrong_dimension.csv:2: expected 9 coordinates" ${CHAMBER_BIN} line
                 ${LINE_NET} --through-file ${POINTS_DIR}/wrong_dimension.csv)
chamber_cli_test(line_through_file_missing 2 "missing.csv: cannot open" ${CHAMBER_BIN} line ${LINE_NET}
                 --through-file ${POINTS_DIR}/missing.csv)
chamber_cli_test(line_through_and_file 2 "exactly one of --through" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "${LINE_THROUGH}" --through-file ${POINTS_DIR}/good.csv)
chamber_cli_test(line_points_same 2 "line_same.csv: segment 2 \\(lines 4 and 5\\): the segment's end points P0 and P1 are equal" sh -c
  "printf '0,0,0,0,0,0,0,0,0\\n1,2,3,4,5,6,7,8,9\\n# equal\\n1,1,1,1,1,1,1,1,1\\n1,1,1,1,1,1,1,1,1\\n' > ${CMAKE_CURRENT_BINARY_DIR}/line_same.csv && ${CHAMBER_BIN} line ${LINE_NET} --points ${CMAKE_CURRENT_BINARY_DIR}/line_same.csv")
# Inside neuron 0's hyperplane 4 - 12 x0 + 16 x1 - 16 x3 - 4 x4 = 0 (its pattern character is '0' all along).
chamber_cli_test(line_inside_hyperplane 0 "lies inside the hyperplane of neuron 0 for t in 0\\.\\.1" ${CHAMBER_BIN} line
                 ${LINE_NET} --through "1/3,0,0,0,0,0,0,0,0\;1/3,0,1,0,0,1,1,1,1")
chamber_cli_test(line_time_limit 4 "time limit reached during chamber line" ${CHAMBER_BIN} line ${LINE_NET} --through
                 "${LINE_THROUGH}" --time-limit 0.000000001 --quiet)
chamber_cli_test(line_max_regions 4 "region limit of 1" ${CHAMBER_BIN} line ${LINE_NET} --through "${LINE_THROUGH}"
                 --max-regions 1 --quiet)
chamber_cli_test(slice_through_file 0 "linear regions on the plane" sh -c
  "printf '0,0,0,0,0,0,0,0,0\\n1,0,0,0,0,0,0,0,0\\n0,0,0,0,1,0,0,0,0\\n' > ${CMAKE_CURRENT_BINARY_DIR}/slice_three.csv && ${CHAMBER_BIN} slice ${LINE_NET} --through-file ${CMAKE_CURRENT_BINARY_DIR}/slice_three.csv")
chamber_cli_test(slice_through_file_count 2 "good.csv: --through-file needs exactly 3 points, the file holds 5" ${CHAMBER_BIN}
                 slice ${LINE_NET} --through-file ${POINTS_DIR}/good.csv)
chamber_cli_test(slice_through_and_file 2 "exactly one of --through" ${CHAMBER_BIN} slice ${LINE_NET} --through
                 "${LINE_THROUGH}\;0,0,0,0,1,0,0,0,0" --through-file ${POINTS_DIR}/good.csv)
# slice --through is text too: 10,000 characters are refused with a reason (exit 2), never taken for a file name.
chamber_cli_test(slice_long_points 2 "--through: expected 3 points P0\;P1\;P2, found 556" ${CHAMBER_BIN} slice ${LINE_NET}
                 --through "${LINE_LONG_POINTS}0,0,0,0,0,0,0,0,0")
chamber_cli_test(slice_long_coordinates 2 "--through: point 1: more than 4096 coordinates" ${CHAMBER_BIN} slice
                 ${LINE_NET} --through "${LINE_LONG_COORDINATES}")
chamber_cli_test(slice_dimension 2 "--through: point 3 has 2 coordinates" ${CHAMBER_BIN} slice ${LINE_NET} --through
                 "${LINE_THROUGH}\;1,2")

# Decision boundaries: the read-out layer, chamber random --readout, slice --colour class (cnn/decision.hpp).
set(MOONS_NET ${PROJECT_SOURCE_DIR}/examples/moons_mlp.json)
set(MOONS_PLANE "0,0\;1,0\;0,1")
set(MALFORMED_READOUT_CASES
  "readout_wrong_width.json: readout.weight\\[1\\]: expected 2 entries \\(input features: the flattened 2x1x1 output of layer 1\\), found 3"
  "readout_wrong_out.json: readout.weight: expected 3 entries \\(output features\\), found 2"
  "readout_not_object.json: readout: expected a linear read-out"
  "readout_in_features.json: readout.in_features: in_features 3 does not match the 2 entries")
foreach(case IN LISTS MALFORMED_READOUT_CASES)
  string(REGEX MATCH "^[a-z_]+" stem "${case}")
  chamber_cli_test(malformed_network_cnn_${stem} 2 "${case}" ${CHAMBER_BIN} cnn ${MALFORMED_NETWORKS}/${stem}.json)
  chamber_cli_test(malformed_network_slice_${stem} 2 "${case}" ${CHAMBER_BIN} slice ${MALFORMED_NETWORKS}/${stem}.json
                   --random-plane 1)
endforeach()
chamber_cli_test(slice_colour_class_json 0 "\"decision_boundary\": \\[" ${CHAMBER_BIN} slice ${MOONS_NET} --through
                 "${MOONS_PLANE}" --box -1.5,2.5 --colour class --json)
chamber_cli_test(slice_colour_class_segment 0 "\"from\": \\[" ${CHAMBER_BIN} slice ${MOONS_NET}
                 --through "${MOONS_PLANE}" --box -1.5,2.5 --colour class --json)
chamber_cli_test(slice_colour_class_counts 0 "\"class_counts\": \\[" ${CHAMBER_BIN} slice ${MOONS_NET} --through
                 "${MOONS_PLANE}" --box -1.5,2.5 --colour class --json)
chamber_cli_test(slice_colour_class_text 0 "classes: 2, class pieces: 0:[1-9][0-9]* 1:[1-9][0-9]*, decision boundary: [1-9][0-9]* segments"
                 ${CHAMBER_BIN} slice ${MOONS_NET} --through "${MOONS_PLANE}" --box -1.5,2.5 --colour class)
chamber_cli_test(slice_colour_class_no_readout 2
                 "cnn_3x3x1_f2x2_s1_c2.json: --colour class needs a readout layer \\(the network file has none\\)"
                 ${CHAMBER_BIN} slice ${LINE_NET} --random-plane 1 --colour class)
chamber_cli_test(slice_colour_bad 2 "--colour" ${CHAMBER_BIN} slice ${MOONS_NET} --through "${MOONS_PLANE}" --colour rainbow)
# --colour region (the default) keeps the JSON of today: no class keys, even on a network with a read-out.
chamber_cli_test(slice_colour_region_json 0 "^0$" sh -c
  "${CHAMBER_BIN} slice ${MOONS_NET} --through '0,0\;1,0\;0,1' --colour region --json -q | grep -c -e decision_boundary -e class_counts -e colour_by || true")
chamber_cli_test(slice_colour_region_default 0 "^same$" sh -c
  "${CHAMBER_BIN} slice ${MOONS_NET} --through '0,0\;1,0\;0,1' --svg ${CMAKE_CURRENT_BINARY_DIR}/region_a.svg -q && ${CHAMBER_BIN} slice ${MOONS_NET} --through '0,0\;1,0\;0,1' --colour region --svg ${CMAKE_CURRENT_BINARY_DIR}/region_b.svg -q && cmp ${CMAKE_CURRENT_BINARY_DIR}/region_a.svg ${CMAKE_CURRENT_BINARY_DIR}/region_b.svg && echo same")
chamber_cli_test(random_readout_json 0 "\"readout\": 3" ${CHAMBER_BIN} random --input 1x1x2 --linear 4 --readout 3
                 --seed 2 -o ${CMAKE_CURRENT_BINARY_DIR}/random_readout.json --json)
chamber_cli_test(random_readout_text 0 "a read-out of 1 outputs" ${CHAMBER_BIN} random --input 1x1x2 --linear 4
                 --readout 1 --seed 2 -o ${CMAKE_CURRENT_BINARY_DIR}/random_readout1.json)
chamber_cli_test(random_readout_zero 2 "--readout" ${CHAMBER_BIN} random --input 1x1x2 --linear 4 --readout 0
                 --seed 2 -o ${CMAKE_CURRENT_BINARY_DIR}/never.json)
# Without --readout no read-out is written; with it the hidden layers, and so every region count, stay the same.
chamber_cli_test(random_no_readout 0 "^0$" sh -c
  "${CHAMBER_BIN} random --input 1x1x3 --linear 4 --linear 3 --seed 5 -o ${CMAKE_CURRENT_BINARY_DIR}/random_plain.json -q && grep -c readout ${CMAKE_CURRENT_BINARY_DIR}/random_plain.json || true")
chamber_cli_test(random_readout_same_regions 0 "^same [1-9][0-9]*$" sh -c
  "${CHAMBER_BIN} random --input 1x1x3 --linear 4 --linear 3 --seed 5 -o ${CMAKE_CURRENT_BINARY_DIR}/random_plain.json -q && ${CHAMBER_BIN} random --input 1x1x3 --linear 4 --linear 3 --seed 5 --readout 2 -o ${CMAKE_CURRENT_BINARY_DIR}/random_with.json -q && a=$(${CHAMBER_BIN} cnn ${CMAKE_CURRENT_BINARY_DIR}/random_plain.json --no-verdict -q | grep 'linear regions') && b=$(${CHAMBER_BIN} cnn ${CMAKE_CURRENT_BINARY_DIR}/random_with.json --no-verdict -q | grep 'linear regions') && test \"$a\" = \"$b\" && echo same $(echo $a | tr -dc 0-9 | head -c 9)")
# The README's picture: regenerated byte for byte and rendered by rsvg-convert (librsvg2-bin).
add_test(NAME cli:decision_svg
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/decision_svg.sh ${CHAMBER_BIN} ${PROJECT_SOURCE_DIR}
                 ${CMAKE_CURRENT_BINARY_DIR}/decision_svg)
# Every network engine (auto, lp, cone, hybrid) gives the same count and a certificate the checker accepts.
add_test(NAME cli:engines COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/engines.sh ${CHAMBER_BIN} ${CMAKE_CURRENT_BINARY_DIR}/engines)
# Sharded certificates: checked, tampered copies rejected by name, a killed run resumed from its checkpoint.
add_test(NAME cli:shards COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/shards.sh ${CHAMBER_BIN}
         ${PROJECT_SOURCE_DIR}/data/families/arrangements ${CMAKE_CURRENT_BINARY_DIR}/shards)
set_tests_properties(cli:shards PROPERTIES RUN_SERIAL TRUE)
# chamber-mpi under real mpirun, 1-3 ranks: chamber's regions, the same certificate for any N; a killed rank ends the run.
if(TARGET chamber-mpi)
  add_test(NAME cli:mpi COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/mpi.sh ${CHAMBER_BIN} $<TARGET_FILE:chamber-mpi>
           ${PROJECT_SOURCE_DIR}/data/families/arrangements ${CMAKE_CURRENT_BINARY_DIR}/mpi)
  set_tests_properties(cli:mpi PROPERTIES RUN_SERIAL TRUE)
endif()
# eq. (5): chamber expect, exact counts over weight draws beside eq. (4); the structural failure's mean is below it.
chamber_cli_test(expect_structural 0 "mean of the exact counts is below eq. \\(4\\)" ${CHAMBER_BIN} expect --input 1x3x3
                 --conv 2:2x2:1 --draws 5 --weights int:-9:9)
chamber_cli_test(expect_json 0 "\"mean_vs_eq4\": \"below\"" ${CHAMBER_BIN} expect --input 1x3x3 --conv 2:2x2:1
                 --draws 3 --weights int:-1000000:1000000 --json)
chamber_cli_test(expect_table1 0 "\"mean\": \"40\"" ${CHAMBER_BIN} expect --input 1x1x3 --conv 3:1x2:1 --draws 4
                 --weights he:8 --json)
chamber_cli_test(expect_interval 0 "95% confidence interval for E\\[R\\] \\(Student t, 3 degrees of freedom"
                 ${CHAMBER_BIN} expect --input 1x1x3 --conv 2:1x2:1 --draws 4 --weights int:-9:9)
chamber_cli_test(expect_one_draw 0 "\"confidence_interval\": null" ${CHAMBER_BIN} expect --input 1x1x2 --linear 3
                 --draws 1 --weights int:-9:9 --json)
chamber_cli_test(expect_zero_draws 2 "--draws: must be at least 1" ${CHAMBER_BIN} expect --input 1x3x3 --conv 2:2x2:1
                 --draws 0 --weights he:8)
chamber_cli_test(expect_bad_weights 2 "weight distribution 'gauss'" ${CHAMBER_BIN} expect --input 1x3x3
                 --conv 2:2x2:1 --draws 2 --weights gauss)
chamber_cli_test(expect_no_weights 2 "--weights is required" ${CHAMBER_BIN} expect --input 1x3x3 --conv 2:2x2:1 --draws 2)
chamber_cli_test(expect_bad_conv 2 "--conv '2:9x9:1'|kernel 9x9 larger" ${CHAMBER_BIN} expect --input 1x3x3
                 --conv 2:9x9:1 --draws 2 --weights he:8)
chamber_cli_test(expect_time_limit 4 "time limit" ${CHAMBER_BIN} expect --input 1x1x7 --conv 3:1x3:1 --draws 50
                 --weights int:-1000000:1000000 --time-limit 0.3)
# eq. (4) as the filters grow, and regions per parameter (Theorem 6's quantities), in chamber formula.
chamber_cli_test(formula_growth 0 "d = 64: eq. \\(4\\) 266305, c\\*d\\^3 = 262144" ${CHAMBER_BIN} formula --input 1x1x3
                 --conv 2:1x2:1)
chamber_cli_test(formula_growth_json 0 "\"leading_coefficient\": \"29/72\"" ${CHAMBER_BIN} formula --input 1x3x3
                 --conv 2:2x2:1 --json)
chamber_cli_test(formula_per_parameter 0 "\"per_parameter\": \"538/21\"" ${CHAMBER_BIN} formula --input 1x1x4
                 --conv 2:1x2:1 --conv 3:1x2:1 --exact --json)
chamber_cli_test(formula_exact_bad_weights 2 "weight distribution" ${CHAMBER_BIN} formula --input 1x1x3 --conv 2:1x2:1
                 --exact --weights nope)
add_test(NAME cli:readme_regions_per_parameter
         COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/regions_per_parameter_table.py ${CHAMBER_BIN}
                 ${PROJECT_SOURCE_DIR}/README.md)
# Qi & Wei on R: chamber realize, its network checked by chamber cnn and chamber line, and its errors.
add_test(NAME cli:realize COMMAND ${CMAKE_CURRENT_SOURCE_DIR}/cli/realize.sh ${CHAMBER_BIN}
         ${CMAKE_CURRENT_BINARY_DIR}/realize)
