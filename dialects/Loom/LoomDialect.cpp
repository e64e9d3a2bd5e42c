//===- LoomDialect.cpp - The loom dialect ----------------------------------===//
//
// Registers the ops and attributes, and materializes folded constants as
// loom.constant.
//
//===----------------------------------------------------------------------===//
#include "Loom/LoomOps.h"

#include "mlir/IR/DialectImplementation.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;
using namespace loom;

#include "Loom/LoomDialect.cpp.inc"
#include "Loom/LoomEnums.cpp.inc"
#include "Loom/LoomInterfaces.cpp.inc"

#define GET_ATTRDEF_CLASSES
#include "Loom/LoomAttrs.cpp.inc"

#define GET_OP_CLASSES
#include "Loom/LoomOps.cpp.inc"

void LoomDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "Loom/LoomOps.cpp.inc"
      >();
  addAttributes<
#define GET_ATTRDEF_LIST
#include "Loom/LoomAttrs.cpp.inc"
      >();
}

Operation *LoomDialect::materializeConstant(OpBuilder &builder,
                                            Attribute value, Type type,
                                            Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, elements);
}
