# lit configuration for Loom's compiler tests: loom-opt and loomc with
# FileCheck, one small .mlir or .test file per pass, op family or tool case.
import os
import lit.formats
from lit.llvm import llvm_config

config.name = "Loom"
config.test_format = lit.formats.ShTest(not llvm_config.use_lit_shell)
config.suffixes = [".mlir", ".test", ".cpp"]
config.excludes = ["CMakeLists.txt", "lit.cfg.py", "lit.site.cfg.py", "Inputs", "unit", "fuzz"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.loom_obj_root, "test")

llvm_config.use_default_substitutions()
llvm_config.with_environment("PATH", config.llvm_tools_dir, append_path=True)
llvm_config.with_environment("PATH", config.loom_tools_dir, append_path=True)
# Model builds go to a cache private to the test run.
config.environment["LOOM_CACHE_DIR"] = os.path.join(config.test_exec_root, "loom-cache")
config.substitutions.append(("%loom_src", config.loom_src_root))
config.substitutions.append(("%loom_bin", config.loom_tools_dir))
config.substitutions.append(("%loom_build", config.loom_obj_root))
config.substitutions.append(("%examples", os.path.join(config.loom_src_root, "examples")))
tools = ["loom-opt", "loomc", "loom-run", "FileCheck", "not", "count"]
llvm_config.add_tool_substitutions(tools, [config.loom_tools_dir, config.llvm_tools_dir])

# Debian's Python (with python3-torch when installed) runs the checkers.
import subprocess
config.substitutions.append(("%python", "/usr/bin/python3"))
config.substitutions.append(("%data", os.path.join(config.loom_src_root, "examples", "data")))
try:
    subprocess.run(["/usr/bin/python3", "-c", "import torch"], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
    config.available_features.add("torch")
except Exception:
    pass
if os.path.exists("/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"):
    config.available_features.add("fashion-mnist")
