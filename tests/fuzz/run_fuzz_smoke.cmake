# Configures and builds a clang + libFuzzer + ASan build of vigil_core and the
# fuzz targets in BUILD_DIR (incremental after the first run), then runs each
# target for SECONDS on a copy of its seed corpus. Fails on any crash, leak,
# sanitizer report or timeout; the reproducer is left in BUILD_DIR/findings.
cmake_minimum_required(VERSION 3.25)
foreach(var SOURCE_DIR BUILD_DIR CORPUS_DIR TARGETS SECONDS)
    if(NOT DEFINED ${var})
        message(FATAL_ERROR "run_fuzz_smoke.cmake: ${var} is not set")
    endif()
endforeach()
if(NOT CLANGXX)
    message(FATAL_ERROR "fuzz_smoke: clang++ is required for the libFuzzer targets (apt install clang)")
endif()

string(TIMESTAMP started "%s")
if(NOT EXISTS ${BUILD_DIR}/CMakeCache.txt)
    execute_process(
        COMMAND ${CMAKE_COMMAND} -S ${SOURCE_DIR} -B ${BUILD_DIR} -G Ninja
                -DCMAKE_CXX_COMPILER=${CLANGXX} -DCMAKE_BUILD_TYPE=RelWithDebInfo -DVIGIL_FUZZ=ON
                -DVIGIL_BUILD_TESTS=OFF -DVIGIL_BUILD_GUI=OFF -DVIGIL_BUILD_BENCH=OFF
        RESULT_VARIABLE rc)
    if(NOT rc EQUAL 0)
        message(FATAL_ERROR "fuzz_smoke: configuring the clang fuzz build failed")
    endif()
endif()
set(targets)
foreach(name ${TARGETS})
    list(APPEND targets fuzz_${name})
endforeach()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${BUILD_DIR} -j2 --target ${targets} RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
    message(FATAL_ERROR "fuzz_smoke: building the fuzz targets failed")
endif()
string(TIMESTAMP built "%s")
math(EXPR buildSeconds "${built} - ${started}")
message(STATUS "fuzz_smoke: clang build took ${buildSeconds} s")

set(failed)
foreach(name ${TARGETS})
    set(work ${BUILD_DIR}/corpus/${name})
    set(findings ${BUILD_DIR}/findings/${name})
    file(MAKE_DIRECTORY ${work} ${findings})
    # New inputs go to the work folder; the committed seeds are only read.
    execute_process(
        COMMAND ${BUILD_DIR}/tests/fuzz/fuzz_${name} -max_total_time=${SECONDS} -timeout=20 -rss_limit_mb=3072
                -max_len=65536 -print_final_stats=1 -artifact_prefix=${findings}/ ${work} ${CORPUS_DIR}/${name}
        RESULT_VARIABLE rc
        OUTPUT_VARIABLE out ERROR_VARIABLE out)
    string(REGEX MATCH "stat::number_of_executed_units: *[0-9]+" runs "${out}")
    message(STATUS "fuzz_${name}: exit ${rc}, ${runs}")
    if(NOT rc EQUAL 0)
        message("${out}")
        list(APPEND failed ${name})
    endif()
endforeach()
if(failed)
    message(FATAL_ERROR "fuzz_smoke: ${failed} found a problem; reproducers in ${BUILD_DIR}/findings")
endif()
