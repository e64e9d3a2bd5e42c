//===- RuntimeCall.h - Calls of the runtime's kernels from buffer IR ------===//
//
// -loom-gemm-to-call and -loom-conv-to-call replace linalg ops on memrefs
// by calls of loomrt functions with C linkage (RuntimeSymbols.h) that take
// plain pointers and element strides. These are the pieces both need.
//
//===----------------------------------------------------------------------===//
#pragma once

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/SymbolTable.h"

namespace loom {

/// The address of f32 `memref`'s first element, as an index (bytes).
inline mlir::Value firstElementAddress(mlir::OpBuilder &b, mlir::Location loc,
                                       mlir::Value memref) {
  using namespace mlir;
  Value base = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, memref);
  auto meta = memref::ExtractStridedMetadataOp::create(b, loc, memref);
  Value four = arith::ConstantIndexOp::create(b, loc, 4);
  Value bytes = arith::MulIOp::create(b, loc, meta.getOffset(), four);
  return arith::AddIOp::create(b, loc, base, bytes);
}

/// An address (index, bytes) as an !llvm.ptr; a null Value is the null
/// pointer.
inline mlir::Value addressToPointer(mlir::OpBuilder &b, mlir::Location loc,
                                    mlir::Value address) {
  using namespace mlir;
  Type ptr = LLVM::LLVMPointerType::get(b.getContext());
  if (!address)
    return LLVM::ZeroOp::create(b, loc, ptr);
  Value wide = arith::IndexCastOp::create(b, loc, b.getI64Type(), address);
  return LLVM::IntToPtrOp::create(b, loc, ptr, wide);
}

/// Declares the private external function `name`(`args`) -> () at the top
/// of `module`, unless it is declared already.
inline void declareRuntimeFunction(mlir::OpBuilder &b, mlir::ModuleOp module,
                                   llvm::StringRef name,
                                   llvm::ArrayRef<mlir::Type> args) {
  using namespace mlir;
  if (SymbolTable::lookupSymbolIn(module, name))
    return;
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(module.getBody());
  auto fn = func::FuncOp::create(b, module.getLoc(), name,
                                 b.getFunctionType(args, {}));
  fn.setPrivate();
}

} // namespace loom
