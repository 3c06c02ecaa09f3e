// `chamber`: the command line of cli/run.cpp.
#include "cli/commands.hpp"

int main(int argc, char** argv) { return chamber::cli::run(argc, argv); }
