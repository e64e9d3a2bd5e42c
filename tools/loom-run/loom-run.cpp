//===- loom-run.cpp - Run a compiled model with the runtime alone ---------===//
//
//   loom-run MODEL.loom [--checkpoint FILE] --input NAME=FILE ...
//            [--output FILE|NAME=FILE ...] [--seed S] [-v]
//
// Links only loomrt and loomdata: no LLVM, no MLIR, no compiler. A machine
// that has only the runtime (an app's, a GPU machine's) runs artifacts with
// it. Arguments are parsed by hand for the same reason.
//
//===----------------------------------------------------------------------===//
#include "ArtifactRunner.h"

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

int main(int argc, char **argv) {
  loom::ArtifactRunArgs args;
  auto usage = [&]() {
    std::fprintf(stderr,
                 "usage: loom-run MODEL.loom [--checkpoint FILE] --input "
                 "NAME=FILE ... [--output FILE|NAME=FILE ...] [--seed S] "
                 "[-v]\n");
    return 2;
  };
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](std::string &out) {
      size_t eq = a.find('=');
      if (eq != std::string::npos && a.rfind("--", 0) == 0) {
        out = a.substr(eq + 1);
        return true;
      }
      if (i + 1 >= argc)
        return false;
      out = argv[++i];
      return true;
    };
    std::string v;
    auto is = [&](const char *flag) {
      return a == flag || a.rfind(std::string(flag) + "=", 0) == 0;
    };
    if (a == "--help" || a == "-h") {
      usage();
      return 0;
    } else if (a == "-v") {
      args.verbose = true;
    } else if (is("--input")) {
      if (!value(v))
        return usage();
      args.inputs.push_back(v);
    } else if (is("--output")) {
      if (!value(v))
        return usage();
      args.outputs.push_back(v);
    } else if (is("--checkpoint")) {
      if (!value(args.checkpoint))
        return usage();
    } else if (is("--seed")) {
      if (!value(v))
        return usage();
      args.seed = std::strtoull(v.c_str(), nullptr, 10);
    } else if (a.rfind("-", 0) == 0) {
      std::fprintf(stderr, "loom-run: error: unknown option '%s'\n", a.c_str());
      return usage();
    } else if (args.artifact.empty()) {
      args.artifact = a;
    } else {
      return usage();
    }
  }
  if (args.artifact.empty())
    return usage();
  return loom::runArtifact(args);
}
