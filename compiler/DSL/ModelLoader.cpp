//===- ModelLoader.cpp - Building and loading model files -------------------===//
//
// Compiles a model file with the host compiler (`$CXX`, else `c++`) into a
// shared object in the cache, written under a temporary name and renamed
// into place so a concurrent or interrupted build never leaves a broken
// object behind, then dlopen()s it; LOOM_MODEL's static registrars run and
// fill the model registry. The DSL functions the object calls resolve
// against libLoomDSL, which the loading tool links.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelLoader.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/SHA256.h"
#include "llvm/Support/raw_ostream.h"

#include <dlfcn.h>
#include <unistd.h>

using namespace llvm;

namespace loom::dsl {

#ifndef LOOM_INCLUDE_DIR
#error "LOOM_INCLUDE_DIR must point at the DSL's headers"
#endif

/// Bumped when the way models are built changes, to invalidate caches.
static constexpr const char *kBuildRecipeVersion = "loom-model-v1";

static Error makeError(const Twine &message) {
  return createStringError(inconvertibleErrorCode(), message);
}

std::string cacheDirectory() {
  if (auto dir = sys::Process::GetEnv("LOOM_CACHE_DIR"))
    return *dir;
  SmallString<256> path;
  if (auto xdg = sys::Process::GetEnv("XDG_CACHE_HOME"))
    path = *xdg;
  else if (!sys::path::cache_directory(path))
    path = "/tmp";
  sys::path::append(path, "loom");
  return std::string(path);
}

static std::string includeDirectory() {
  if (auto dir = sys::Process::GetEnv("LOOM_INCLUDE_DIR"))
    return *dir;
  return LOOM_INCLUDE_DIR;
}

static Expected<std::string> readWholeFile(const Twine &path,
                                           const char *what) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return makeError(Twine("cannot read ") + what + " '" + path +
                     "': " + buffer.getError().message());
  return (*buffer)->getBuffer().str();
}

Expected<std::vector<ModelEntry>> loadModelFile(const std::string &path,
                                                const LoadOptions &options) {
  auto source = readWholeFile(path, "model file");
  if (!source)
    return source.takeError();
  std::string include = includeDirectory();
  SmallString<256> header(include);
  sys::path::append(header, "loom", "loom.h");
  auto headerText = readWholeFile(header, "the Loom DSL header");
  if (!headerText)
    return headerText.takeError();

  std::string compiler = "c++";
  if (auto cxx = sys::Process::GetEnv("CXX"); cxx && !cxx->empty())
    compiler = *cxx;
  auto compilerPath = sys::findProgramByName(compiler);
  if (!compilerPath)
    return makeError("cannot find the host C++ compiler '" + compiler +
                     "' (set CXX)");
  std::vector<std::string> flags = {"-std=c++20", "-O0", "-fPIC", "-shared",
                                    "-I" + include};

  // The cache key: everything that changes the built object.
  SHA256 hash;
  for (StringRef part : {StringRef(kBuildRecipeVersion), StringRef(*source),
                         StringRef(*headerText), StringRef(*compilerPath)}) {
    hash.update(part);
    hash.update(StringRef("\0", 1));
  }
  for (const std::string &f : flags)
    hash.update(f);
  std::string key = toHex(hash.final(), /*LowerCase=*/true).substr(0, 32);

  SmallString<256> dir(cacheDirectory());
  sys::path::append(dir, "models");
  if (std::error_code ec = sys::fs::create_directories(dir))
    return makeError("cannot create the model cache '" + dir +
                     "': " + ec.message());
  SmallString<256> object(dir);
  sys::path::append(object, key + ".so");

  if (sys::fs::exists(object)) {
    if (options.verbose)
      errs() << "loomc: using cached build of " << path << " (" << object
             << ")\n";
  } else {
    std::string temp =
        (object + ".tmp." + Twine(::getpid())).str();
    SmallVector<StringRef> args = {*compilerPath};
    for (const std::string &f : flags)
      args.push_back(f);
    args.append({"-o", temp, path});
    if (options.verbose) {
      errs() << "loomc: building model:";
      for (StringRef a : args)
        errs() << " " << a;
      errs() << "\n";
    }
    std::string execError;
    int rc = sys::ExecuteAndWait(*compilerPath, args, std::nullopt, {}, 0, 0,
                                 &execError);
    if (rc != 0) {
      sys::fs::remove(temp);
      if (rc < 0)
        return makeError("cannot run the host compiler '" + *compilerPath +
                         "': " + execError);
      return makeError("building the model file '" + path +
                       "' failed (the compiler's messages are above)");
    }
    if (std::error_code ec = sys::fs::rename(temp, object)) {
      sys::fs::remove(temp);
      return makeError("cannot store the built model in the cache: " +
                       ec.message());
    }
  }

  clearRegisteredModels();
  void *handle = ::dlopen(object.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle)
    return makeError("cannot load the built model file '" + path +
                     "': " + ::dlerror());
  // The handle stays open for the life of the process: the registry holds
  // pointers to the object's model functions.
  if (registeredModels().empty())
    return makeError("the model file '" + path +
                     "' defines no model (use LOOM_MODEL(name) { ... })");
  return registeredModels();
}

Expected<ModelEntry> selectModel(const std::vector<ModelEntry> &models,
                                 const std::string &name,
                                 const std::string &path) {
  std::string names;
  for (const ModelEntry &m : models)
    names += (names.empty() ? "" : ", ") + m.name;
  if (name.empty()) {
    if (models.size() == 1)
      return models.front();
    return makeError("'" + path + "' defines several models (" + names +
                     "); choose one with --model NAME");
  }
  for (const ModelEntry &m : models)
    if (m.name == name)
      return m;
  return makeError("no model named '" + name + "' in '" + path +
                   "'; models defined there: " + names);
}

} // namespace loom::dsl
