# The checker's include root (verify/CMakeLists.txt), run by CTest as a script: cmake -DMODE=... -P this file.
#
# MODE=compile (verify:include_root): with exactly chamber_verify's include directories (INCLUDES, '|'-separated)
#   a source including every header of verify/include/verify/ compiles (the positive control: the flags work), and a
#   source including arrangement/number.hpp, or cnn/network.hpp, fails because that header is not found (both exist
#   in SOURCE_DIR, so the failure is the include root's doing). Needs CXX, STD_FLAG, INCLUDES, IMPLICIT (the
#   compiler's own include directories, '|'-separated), SOURCE_DIR, WORK_DIR.
# MODE=scan (verify:includes): every #include of every file under verify/ names a file of verify/ (relative to the
#   including file or under the include root) or a system header: the standard library, GMP, nlohmann-json, zlib.
#   Needs INCLUDES and SOURCE_DIR.
cmake_minimum_required(VERSION 3.20)

string(REPLACE "|" ";" include_dirs "${INCLUDES}")
string(REPLACE "|" ";" implicit_dirs "${IMPLICIT}")
list(REMOVE_DUPLICATES include_dirs)
if(NOT include_dirs)
  message(FATAL_ERROR "chamber_verify has no include directories (INCLUDES is empty)")
endif()
set(verify_dir "${SOURCE_DIR}/verify")
set(forbidden arrangement/number.hpp cnn/network.hpp)

if(MODE STREQUAL "compile")
  # As CMake writes compile lines: the compiler's implicit include directories (IMPLICIT) are not passed again.
  set(flags ${STD_FLAG} -fsyntax-only)
  foreach(dir IN LISTS include_dirs)
    if(NOT dir IN_LIST implicit_dirs)
      list(APPEND flags "-I${dir}")
    endif()
  endforeach()
  file(MAKE_DIRECTORY "${WORK_DIR}")

  # Positive control: every public header of the checker, with the same flags.
  file(GLOB headers RELATIVE "${verify_dir}/include" "${verify_dir}/include/verify/*.hpp")
  if(NOT headers)
    message(FATAL_ERROR "no headers under ${verify_dir}/include/verify/")
  endif()
  set(text "")
  foreach(header IN LISTS headers)
    string(APPEND text "#include \"${header}\"\n")
  endforeach()
  file(WRITE "${WORK_DIR}/probe_verify.cpp" "${text}int main() { return 0; }\n")
  execute_process(COMMAND "${CXX}" ${flags} "${WORK_DIR}/probe_verify.cpp" RESULT_VARIABLE result
                  OUTPUT_VARIABLE output ERROR_VARIABLE output)
  if(NOT result EQUAL 0)
    message(FATAL_ERROR "the verify headers do not compile with chamber_verify's include directories:\n${output}")
  endif()
  message(STATUS "compiles: ${headers}")

  # The headers of the enumerator and the networks must not be reachable.
  foreach(header IN LISTS forbidden)
    if(NOT EXISTS "${SOURCE_DIR}/${header}")
      message(FATAL_ERROR "${SOURCE_DIR}/${header} is gone: choose another header of that directory for this test")
    endif()
    string(MAKE_C_IDENTIFIER "${header}" name)
    file(WRITE "${WORK_DIR}/probe_${name}.cpp" "#include \"${header}\"\nint main() { return 0; }\n")
    execute_process(COMMAND "${CXX}" ${flags} "${WORK_DIR}/probe_${name}.cpp" RESULT_VARIABLE result
                    OUTPUT_VARIABLE output ERROR_VARIABLE output)
    if(result EQUAL 0)
      message(FATAL_ERROR "${header} is reachable with chamber_verify's include directories (${include_dirs})")
    endif()
    string(FIND "${output}" "${header}" named)
    if(named EQUAL -1 OR NOT output MATCHES "No such file|not found")
      message(FATAL_ERROR "compiling a file including ${header} failed, but not for want of the header:\n${output}")
    endif()
    message(STATUS "not found, as it should be: ${header}")
  endforeach()

elseif(MODE STREQUAL "scan")
  file(GLOB_RECURSE sources "${verify_dir}/*.cpp" "${verify_dir}/*.hpp")
  if(NOT sources)
    message(FATAL_ERROR "no sources under ${verify_dir}")
  endif()
  # <vector>, <cstddef>...: the standard library's headers have no extension.
  set(system_header "^([a-z_]+|gmp\\.h|gmpxx\\.h|zlib\\.h|nlohmann/[a-z_/]+\\.hpp)$")
  file(REAL_PATH "${verify_dir}" verify_real)
  set(bad "")
  set(count 0)
  foreach(source IN LISTS sources)
    file(STRINGS "${source}" lines REGEX "^[ \t]*#[ \t]*include")
    get_filename_component(source_dir "${source}" DIRECTORY)
    file(RELATIVE_PATH shown "${SOURCE_DIR}" "${source}")
    foreach(line IN LISTS lines)
      math(EXPR count "${count} + 1")
      if(line MATCHES "#[ \t]*include[ \t]*<([^>]*)>")
        set(name "${CMAKE_MATCH_1}")
        if(NOT name MATCHES "${system_header}")
          string(APPEND bad "\n  ${shown}: <${name}> is not a header of the standard library, GMP, "
                            "nlohmann-json or zlib")
        endif()
      elseif(line MATCHES "#[ \t]*include[ \t]*\"([^\"]*)\"")
        set(name "${CMAKE_MATCH_1}")
        # The compiler's order for "...": the including file's directory, then the -I directories.
        set(found "")
        foreach(dir IN ITEMS "${source_dir}" ${include_dirs})
          if(NOT found AND EXISTS "${dir}/${name}")
            file(REAL_PATH "${dir}/${name}" found)
          endif()
        endforeach()
        string(FIND "${found}" "${verify_real}/" at)
        if(NOT found)
          string(APPEND bad "\n  ${shown}: \"${name}\" is neither next to it nor under the include root")
        elseif(NOT at EQUAL 0 OR name MATCHES "\\.\\.")
          string(APPEND bad "\n  ${shown}: \"${name}\" is ${found}, outside verify/")
        endif()
      else()
        string(APPEND bad "\n  ${shown}: unreadable include line: ${line}")
      endif()
    endforeach()
  endforeach()
  if(bad)
    message(FATAL_ERROR "includes from verify/ that reach outside it:${bad}")
  endif()
  list(LENGTH sources files)
  message(STATUS "${count} includes in ${files} files of verify/: all inside verify/ or system headers")

else()
  message(FATAL_ERROR "MODE must be compile or scan, not '${MODE}'")
endif()
