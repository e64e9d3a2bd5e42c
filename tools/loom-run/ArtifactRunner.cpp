//===- ArtifactRunner.cpp - Run a .loom artifact's forward pass on files --===//
//
// See ArtifactRunner.h. The artifact's shapes are fixed (its batch size is
// part of them), so every input must have exactly the declared type; the
// checkpoint is checked tensor by tensor against the parameter table, and
// its stored preprocessing is applied as `loomc run` applies it.
//
//===----------------------------------------------------------------------===//
#include "ArtifactRunner.h"

#include "loom/rt/core/Artifact.h"
#include "loom/rt/core/SessionCheckpoint.h"
#include "loom/rt/core/Format.h"
#include "loom/rt/core/Io.h"
#include "loom/rt/core/Session.h"
#include "loom/rt/data/Preprocess.h"

#include <chrono>
#include <cstdio>
#include <map>

namespace loom {
namespace {

namespace rt = loom::rt;

bool splitBinding(const std::string &spec, std::string &name, std::string &file) {
  size_t eq = spec.find('=');
  if (eq == std::string::npos || eq == 0 || eq + 1 == spec.size())
    return false;
  name = spec.substr(0, eq);
  file = spec.substr(eq + 1);
  return true;
}

} // namespace

int runArtifact(const ArtifactRunArgs &args) {
  auto fail = [&](const std::string &msg) {
    std::fprintf(stderr, "%s: error: %s\n", args.program.c_str(), msg.c_str());
    return 1;
  };
  auto start = std::chrono::steady_clock::now();
  std::shared_ptr<rt::Executable> exe;
  rt::ArtifactInfo info;
  if (rt::Status s = rt::loadArtifact(args.artifact, exe, &info); !s)
    return fail(s.message());
  const rt::EntryPoint *forward = exe->findEntry("forward");
  if (!forward)
    return fail(args.artifact + " has no 'forward' entry (built with "
                "--entries without forward)");
  std::unique_ptr<rt::Session> session;
  if (rt::Status s = rt::Session::create(exe, args.seed, session); !s)
    return fail(s.message());

  rt::FittedPreprocessing fitted;
  if (!args.checkpoint.empty()) {
    std::map<std::string, std::string> meta;
    if (rt::Status s = rt::loadSessionCheckpoint(
            *session, args.checkpoint, rt::OptimizerStateLoad::Ignore, &meta);
        !s)
      return fail(s.message());
    if (rt::Status s = rt::FittedPreprocessing::fromMetadata(meta, args.checkpoint,
                                                             fitted);
        !s)
      return fail(s.message());
  }

  std::map<std::string, rt::HostTensor> inputs;
  for (const std::string &spec : args.inputs) {
    std::string name, file;
    if (!splitBinding(spec, name, file))
      return fail("--input expects NAME=FILE, got '" + spec + "'");
    const rt::ArgSpec *decl = nullptr;
    std::string declared;
    for (const rt::ArgSpec &a : forward->args)
      if (a.kind == rt::ArgKind::Input) {
        declared += (declared.empty() ? "" : ", ") + a.name;
        if (a.name == name)
          decl = &a;
      }
    if (!decl)
      return fail("model '" + exe->modelName + "' has no input named '" + name +
                  "' (its inputs: " + declared + ")");
    if (inputs.count(name))
      return fail("input '" + name + "' is given twice");
    rt::HostTensor t;
    if (rt::Status s = rt::readTensorFile(file, t); !s)
      return fail(s.message());
    if (!(t.type() == decl->type))
      return fail("input '" + name + "' from '" + file + "' is " +
                  t.type().str() + ", but " + args.artifact + " was built for " +
                  decl->type.str() + " (batch " + std::to_string(info.batch) +
                  "; rebuild with loomc build --batch N for another size)");
    if (name == fitted.featureInput)
      if (rt::Status s = fitted.applyToFeatures(t, file); !s)
        return fail(s.message());
    inputs[name] = std::move(t);
  }
  for (const rt::ArgSpec &a : forward->args)
    if (a.kind == rt::ArgKind::Input && !inputs.count(a.name))
      return fail("missing input '" + a.name + "' " + a.type.str() +
                  "; pass --input " + a.name + "=FILE");

  std::map<std::string, std::string> outputFiles;
  std::vector<std::string> outputNames;
  for (const rt::ArgSpec &a : forward->args)
    if (a.kind == rt::ArgKind::Output)
      outputNames.push_back(a.name);
  for (const std::string &spec : args.outputs) {
    std::string name, file;
    if (!splitBinding(spec, name, file)) {
      if (outputNames.size() != 1)
        return fail("model '" + exe->modelName + "' has " +
                    std::to_string(outputNames.size()) +
                    " outputs; use --output NAME=FILE");
      name = outputNames.front();
      file = spec;
    }
    outputFiles[name] = file;
  }

  auto loaded = std::chrono::steady_clock::now();
  std::map<std::string, rt::HostTensor> results;
  if (rt::Status s = session->run("forward", inputs, results); !s)
    return fail(s.message());
  auto ran = std::chrono::steady_clock::now();
  if (fitted.target)
    if (auto it = results.find(fitted.targetOutput); it != results.end())
      if (rt::Status s = fitted.invertTargets(it->second, args.checkpoint); !s)
        return fail(s.message());
  for (const std::string &name : outputNames) {
    const rt::HostTensor &value = results.at(name);
    auto file = outputFiles.find(name);
    if (file == outputFiles.end()) {
      std::printf("%s %s =\n%s\n", name.c_str(), value.type().str().c_str(),
                  rt::formatTensor(value).c_str());
      continue;
    }
    if (rt::Status s = rt::writeTensorFile(file->second, value); !s)
      return fail(s.message());
  }
  if (args.verbose)
    std::fprintf(stderr,
                 "%s: loaded %s (CPU %s) in %.2f ms, forward in %.2f ms\n",
                 args.program.c_str(), args.artifact.c_str(), info.cpu.c_str(),
                 std::chrono::duration<double, std::milli>(loaded - start).count(),
                 std::chrono::duration<double, std::milli>(ran - loaded).count());
  return 0;
}

} // namespace loom
