# Black-box tests of the chamber command (exit codes and messages), run through CTest.
set(CHAMBER_BIN $<TARGET_FILE:chamber>)
set(EXPECT ${CMAKE_CURRENT_SOURCE_DIR}/cli/expect.sh)
set(EXAMPLE ${PROJECT_SOURCE_DIR}/examples/cnn_3x3x1_f2x2_s1_c2.arr)
set(MALFORMED ${CMAKE_CURRENT_SOURCE_DIR}/data/malformed)

function(chamber_cli_test name code regex)
  add_test(NAME cli:${name} COMMAND ${EXPECT} ${code} ${regex} ${ARGN})
endfunction()

# Counting, both methods, text and JSON.
chamber_cli_test(count_text 0 "regions: 255" ${CHAMBER_BIN} count ${EXAMPLE})
chamber_cli_test(count_agree 0 "enumeration and Zaslavsky agree" ${CHAMBER_BIN} count ${EXAMPLE})
chamber_cli_test(count_json 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --json)
chamber_cli_test(count_json_polynomial 0 "\"characteristic_polynomial\": \\[" ${CHAMBER_BIN} count ${EXAMPLE} --json)
chamber_cli_test(count_zaslavsky 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --method zaslavsky --json)
chamber_cli_test(count_enumerate 0 "\"regions\": 255" ${CHAMBER_BIN} count ${EXAMPLE} --method enumerate --json)
chamber_cli_test(count_bad_method 2 "method" ${CHAMBER_BIN} count ${EXAMPLE} --method guess)
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
