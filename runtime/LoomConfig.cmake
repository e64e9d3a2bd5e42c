# find_package(Loom): the installed runtime. Targets: Loom::runtime (loomrt,
# the C API loom/runtime.h and the C++ runtime), Loom::data (the data
# loaders, preprocessing and reports).
include(CMakeFindDependencyMacro)
find_dependency(Threads)
find_dependency(ZLIB)
include("${CMAKE_CURRENT_LIST_DIR}/LoomTargets.cmake")
