//===- IndexingLayers.cpp - The DSL's indexing ops, embedding, split, GCN -===//
//
// gather, scatter_add and one_hot build their loom ops after checking
// shapes with the verifiers' rules (IndexingShapeInference.h); embedding
// declares NAME.weight [V, D] (N(0, 1), as PyTorch) and gathers from it
// under a NameLoc "embedding", so a run-time index error says "embedding
// index 57 ..." at the user's line; split is a row of loom.slice ops.
//
// Graphs are data of the model, not inputs: graph_from_edge_list reads the
// edge list when the model is built and gcn_layer bakes the normalized
// adjacency into the graph as constants (edge index lists and weights),
// then computes D^-1/2 (A + I) D^-1/2 X W as gather -> scale ->
// scatter_add. Index lists rather than a dense [N, N] matrix: the work and
// the constants grow with the edges, and the gradient is the same two ops
// transposed. Every problem in the edge list is reported with the file and
// line of the list, at the model line that reads it.
//
//===----------------------------------------------------------------------===//
#include "DSL/ModelContext.h"
#include "Loom/IndexingShapeInference.h"
#include "Loom/LoomOps.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <cmath>
#include <map>
#include <set>

using namespace mlir;

namespace loom {
namespace {
using dsl::ModelContext;
using dsl::operandOf;

int64_t rankOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getRank();
}

/// `axis` in [-rank, rank) -> [0, rank); others are left for the shape rule.
int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 && axis >= -rank ? axis + rank : axis;
}

/// gather at location `l` (the user's line, possibly named by a layer).
Tensor buildGather(ModelContext *mc, Value table, Value indices, int64_t axis,
                   Location l) {
  auto type = inferGather(l, table.getType(), indices.getType(), axis);
  if (failed(type)) {
    mc->failed = true;
    return {};
  }
  return mc->wrap(GatherOp::create(mc->builder, l, *type, table, indices,
                                   mc->builder.getI64IntegerAttr(axis)));
}

/// A rank-1 f32 constant.
Tensor vectorConstant(const std::vector<double> &values, const Loc &loc) {
  return constant({int64_t(values.size())}, values, loc);
}

} // namespace

Tensor gather(Tensor table, Tensor indices, GatherOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value t = operandOf(mc, table, loc);
  Value i = t ? operandOf(mc, indices, loc) : Value();
  if (!t || !i)
    return {};
  return buildGather(mc, t, i, normalizeAxis(o.axis, rankOf(t)), mc->loc(loc));
}

Tensor embedding(Tensor indices, EmbeddingOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value i = operandOf(mc, indices, loc);
  if (!i)
    return {};
  if (o.num_embeddings <= 0 || o.dim <= 0) {
    mc->error(loc, "embedding: set num_embeddings and dim, e.g. "
                   "embedding(ids, {.num_embeddings = 1000, .dim = 32})");
    return {};
  }
  std::string name = mc->layerName(o.name, "embedding");
  Tensor w = param(name + ".weight", {o.num_embeddings, o.dim},
                   {.init = o.init, .trainable = o.trainable}, loc);
  Value wv = mc->get(w);
  if (!wv)
    return {};
  Location l =
      NameLoc::get(StringAttr::get(mc->ctx, "embedding"), mc->loc(loc));
  return buildGather(mc, wv, i, 0, l);
}

Tensor scatter_add(Tensor updates, Tensor indices, ScatterAddOptions o,
                   Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value u = operandOf(mc, updates, loc);
  Value i = u ? operandOf(mc, indices, loc) : Value();
  if (!u || !i)
    return {};
  if (o.dim_size <= 0) {
    mc->error(loc, "scatter_add: set the result's size, e.g. "
                   "scatter_add(msgs, targets, {.dim_size = num_nodes})");
    return {};
  }
  int64_t axis = normalizeAxis(o.axis, rankOf(u) - rankOf(i) + 1);
  Location l = mc->loc(loc);
  auto type = inferScatterAdd(l, u.getType(), i.getType(), axis, o.dim_size);
  if (failed(type)) {
    mc->failed = true;
    return {};
  }
  OpBuilder &b = mc->builder;
  return mc->wrap(ScatterAddOp::create(b, l, *type, u, i,
                                       b.getI64IntegerAttr(axis),
                                       b.getI64IntegerAttr(o.dim_size)));
}

Tensor one_hot(Tensor indices, OneHotOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value i = operandOf(mc, indices, loc);
  if (!i)
    return {};
  Location l = mc->loc(loc);
  auto type = inferOneHot(l, i.getType(), o.num_classes);
  if (failed(type)) {
    mc->failed = true;
    return {};
  }
  return mc->wrap(OneHotOp::create(
      mc->builder, l, *type, i, mc->builder.getI64IntegerAttr(o.num_classes)));
}

std::vector<Tensor> split(Tensor x, SplitOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value v = operandOf(mc, x, loc);
  if (!v)
    return {};
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  int64_t rank = shape.size();
  int64_t axis = normalizeAxis(o.axis, rank);
  if (axis < 0 || axis >= rank) {
    mc->error(loc, "split: axis " + std::to_string(o.axis) +
                       " is out of range for shape " + shapeString(shape));
    return {};
  }
  int64_t total = 0;
  for (int64_t s : o.sizes) {
    if (s < 0) {
      mc->error(loc, "split: sizes must be >= 0, got " + shapeString(o.sizes));
      return {};
    }
    total += s;
  }
  if (o.sizes.empty() || total != shape[axis]) {
    mc->error(loc, "split: sizes " + shapeString(o.sizes) + " add up to " +
                       std::to_string(total) + ", but " + shapeString(shape) +
                       " has " + std::to_string(shape[axis]) + " along axis " +
                       std::to_string(axis));
    return {};
  }
  std::vector<Tensor> parts;
  int64_t start = 0;
  for (int64_t s : o.sizes) {
    SliceOptions so;
    so.start.assign(rank, 0);
    so.limit.assign(shape.begin(), shape.end());
    so.start[axis] = start;
    so.limit[axis] = start + s;
    parts.push_back(slice(x, so, loc));
    start += s;
  }
  return parts;
}

//===----------------------------------------------------------------------===//
// Graphs
//===----------------------------------------------------------------------===//

namespace {

/// Finds `path`: absolute as given; relative next to the model file first
/// (as #include "..." does, so an example finds its data from any working
/// directory), then in the working directory.
std::string resolvePath(const std::string &path, const char *modelFile) {
  if (llvm::sys::path::is_absolute(path))
    return path;
  SmallString<256> besides(llvm::sys::path::parent_path(modelFile));
  llvm::sys::path::append(besides, path);
  if (!besides.empty() && llvm::sys::fs::exists(besides))
    return std::string(besides);
  return path;
}

/// A non-negative integer cell, or nullopt.
std::optional<int64_t> parseNode(StringRef cell) {
  cell = cell.trim();
  int64_t v;
  if (cell.empty() || cell.getAsInteger(10, v))
    return std::nullopt;
  return v;
}

} // namespace

Graph graph_from_edge_list(const std::string &path, GraphOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  if (!mc)
    return {};
  Graph g;
  std::string file = resolvePath(path, loc.file_name());
  g.file = file;
  auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/true);
  if (!buffer) {
    mc->error(loc, "cannot read edge list '" + path +
                       "': " + buffer.getError().message() +
                       " (looked next to the model file and in the working "
                       "directory)");
    return {};
  }
  if (o.num_nodes < 0) {
    mc->error(loc, "graph_from_edge_list: num_nodes must be >= 0 (0: from "
                   "the edges), got " +
                       std::to_string(o.num_nodes));
    return {};
  }
  // (source, target) -> line, for the errors about node indices.
  std::vector<std::tuple<int64_t, int64_t, int64_t>> edges;
  SmallVector<StringRef> lines;
  (*buffer)->getBuffer().split(lines, '\n');
  for (auto [i, raw] : llvm::enumerate(lines)) {
    int64_t lineNo = int64_t(i) + 1;
    StringRef line = raw.trim();
    if (line.empty() || line.starts_with("#"))
      continue;
    auto [a, b] = line.split(',');
    std::optional<int64_t> s = parseNode(a), t = parseNode(b);
    if (!s || !t || b.contains(',')) {
      bool header = edges.empty() && lineNo == 1 && !a.trim().empty() &&
                    !std::isdigit(static_cast<unsigned char>(a.trim()[0])) &&
                    a.trim()[0] != '-';
      if (header)
        continue;
      mc->error(loc, file + ":" + std::to_string(lineNo) +
                         ": expected 'source,target' (two node indices >= 0), "
                         "got '" +
                         line.str() + "'");
      return {};
    }
    edges.emplace_back(*s, *t, lineNo);
  }
  int64_t largest = -1;
  for (auto [s, t, lineNo] : edges)
    largest = std::max({largest, s, t});
  g.num_nodes = o.num_nodes > 0 ? o.num_nodes : largest + 1;
  if (g.num_nodes == 0) {
    mc->error(loc, file + ": the edge list has no edges (and num_nodes is "
                          "not set)");
    return {};
  }
  for (auto [s, t, lineNo] : edges)
    if (s >= g.num_nodes || t >= g.num_nodes) {
      mc->error(loc, file + ":" + std::to_string(lineNo) + ": node " +
                         std::to_string(std::max(s, t)) +
                         " does not exist: the graph has " +
                         std::to_string(g.num_nodes) + " nodes (num_nodes = " +
                         std::to_string(g.num_nodes) + ")");
      return {};
    }
  // A + I as a set of directed pairs, then the symmetric normalization.
  std::set<std::pair<int64_t, int64_t>> pairs;
  for (int64_t n = 0; n < g.num_nodes; ++n)
    pairs.insert({n, n});
  for (auto [s, t, lineNo] : edges) {
    pairs.insert({s, t});
    if (o.undirected)
      pairs.insert({t, s});
  }
  std::vector<double> degree(g.num_nodes, 0.0);
  for (auto [s, t] : pairs)
    degree[t] += 1.0;
  for (auto [s, t] : pairs) {
    g.source.push_back(s);
    g.target.push_back(t);
    g.weight.push_back(1.0 / std::sqrt(degree[s] * degree[t]));
  }
  return g;
}

Tensor gcn_layer(Tensor x, const Graph &graph, GcnOptions o, Loc loc) {
  ModelContext *mc = dsl::current(loc);
  Value v = operandOf(mc, x, loc);
  if (!v)
    return {};
  if (graph.num_nodes <= 0 || graph.source.empty()) {
    if (mc->failed) // graph_from_edge_list has said why
      return {};
    mc->error(loc, "gcn_layer: the graph is empty (did graph_from_edge_list "
                   "fail?)");
    return {};
  }
  ArrayRef<int64_t> shape = cast<RankedTensorType>(v.getType()).getShape();
  if (shape.size() != 2 || shape[0] != graph.num_nodes) {
    mc->error(loc, "gcn_layer expects node features [" +
                       std::to_string(graph.num_nodes) +
                       ", features] (one row per node of " + graph.file +
                       "), got " + shapeString(shape));
    return {};
  }
  if (o.out <= 0) {
    mc->error(loc, "gcn_layer: set the number of output features, e.g. "
                   "gcn_layer(x, graph, {.out = 16})");
    return {};
  }
  std::string name =
      mc->layerName(o.name, "gcn");
  Tensor h = dense(x,
                   {.out = o.out,
                    .name = name,
                    .init = o.init,
                    .bias = false,
                    .trainable = o.trainable},
                   loc);
  std::vector<double> source(graph.source.begin(), graph.source.end());
  std::vector<double> target(graph.target.begin(), graph.target.end());
  int64_t edges = int64_t(source.size());
  Tensor messages = gather(h, vectorConstant(source, loc), {.axis = 0}, loc);
  Tensor scaled = mul(messages, constant({edges, 1}, graph.weight, loc), loc);
  Tensor y = scatter_add(scaled, vectorConstant(target, loc),
                         {.dim_size = graph.num_nodes}, loc);
  if (!o.bias)
    return y;
  // dense resolved torch_default for the weight; the bias follows it.
  Tensor bias =
      param(name + ".bias", {o.out},
            {.init = dsl::layerInits(o.init, std::nullopt, shape[1]).bias,
             .trainable = o.trainable},
            loc);
  return add(y, bias, loc);
}

} // namespace loom
