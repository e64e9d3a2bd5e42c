//===- ObjectLoader.cpp - Loads compiled model code without a system linker -===//
//
// See ObjectLoader.h. The steps: check the ELF header and every section
// header against the file; lay the allocated sections out in three page
// groups (code, read-only data, writable data) honouring each section's
// alignment; copy their bytes (zeroing SHT_NOBITS); read the symbol table;
// resolve undefined symbols; apply the RELA relocations of every loaded
// section; protect the pages. Unwind tables (.eh_frame) are not loaded:
// nothing unwinds through generated code (the runtime is built without
// exceptions crossing it), so their relocations are skipped with them.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/cpu/ObjectLoader.h"

#include <cstring>
#include <elf.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace loom::rt {

namespace {

constexpr uint32_t kShtX86_64Unwind = 0x70000001;

struct Layout {
  size_t offset = 0; // within the mapping
  bool loaded = false;
};

int64_t pageSize() {
  static const int64_t p = ::sysconf(_SC_PAGESIZE) > 0 ? ::sysconf(_SC_PAGESIZE)
                                                         : 4096;
  return p;
}

size_t alignUp(size_t v, size_t a) { return (v + a - 1) / a * a; }

bool fits(uint64_t offset, uint64_t length, uint64_t total) {
  return offset <= total && length <= total - offset;
}

} // namespace

LoadedObject::~LoadedObject() {
  if (base_)
    ::munmap(base_, size_);
}

void *LoadedObject::symbol(const std::string &name) const {
  auto it = symbols_.find(name);
  return it == symbols_.end() ? nullptr : it->second;
}

Status LoadedObject::load(const uint8_t *data, size_t size,
                          const std::string &name,
                          std::unique_ptr<LoadedObject> &out) {
  auto bad = [&](const std::string &why) {
    return Status::error(name + ": " + why);
  };
  if (!data || size < sizeof(Elf64_Ehdr))
    return bad("too short for an ELF object");
  Elf64_Ehdr eh;
  std::memcpy(&eh, data, sizeof eh);
  if (std::memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0)
    return bad("not an ELF object (bad magic)");
  if (eh.e_ident[EI_CLASS] != ELFCLASS64 || eh.e_ident[EI_DATA] != ELFDATA2LSB)
    return bad("not a 64-bit little-endian ELF object");
  if (eh.e_type != ET_REL)
    return bad("not a relocatable object (ELF type " +
               std::to_string(eh.e_type) + ")");
  if (eh.e_machine != EM_X86_64)
    return bad("compiled for ELF machine " + std::to_string(eh.e_machine) +
               ", not x86-64");
  if (eh.e_shentsize != sizeof(Elf64_Shdr) || eh.e_shnum == 0 ||
      eh.e_shnum >= SHN_LORESERVE ||
      !fits(eh.e_shoff, uint64_t(eh.e_shnum) * sizeof(Elf64_Shdr), size) ||
      eh.e_shstrndx >= eh.e_shnum)
    return bad("section header table out of bounds");
  std::vector<Elf64_Shdr> sh(eh.e_shnum);
  std::memcpy(sh.data(), data + eh.e_shoff, sh.size() * sizeof(Elf64_Shdr));
  for (size_t i = 0; i < sh.size(); ++i) {
    if (sh[i].sh_type != SHT_NOBITS && sh[i].sh_type != SHT_NULL &&
        !fits(sh[i].sh_offset, sh[i].sh_size, size))
      return bad("section " + std::to_string(i) + " lies outside the file");
    if (sh[i].sh_addralign > uint64_t(pageSize()) ||
        (sh[i].sh_addralign & (sh[i].sh_addralign - 1)))
      return bad("section " + std::to_string(i) + " has alignment " +
                 std::to_string(sh[i].sh_addralign));
    if ((sh[i].sh_flags & SHF_ALLOC) && sh[i].sh_size > (uint64_t(1) << 32))
      return bad("section " + std::to_string(i) + " is larger than 4 GiB");
  }
  const Elf64_Shdr &names = sh[eh.e_shstrndx];
  auto sectionName = [&](uint32_t off) -> std::string {
    if (names.sh_type != SHT_STRTAB || off >= names.sh_size)
      return "?";
    const char *p = reinterpret_cast<const char *>(data + names.sh_offset + off);
    return std::string(p, strnlen(p, names.sh_size - off));
  };

  // Layout: code, then read-only data, then writable data, each group on
  // its own pages.
  std::vector<Layout> layout(sh.size());
  size_t cursor = 0;
  size_t groupStart[4] = {0, 0, 0, 0};
  for (int group = 0; group < 3; ++group) {
    cursor = alignUp(cursor, size_t(pageSize()));
    groupStart[group] = cursor;
    for (size_t i = 0; i < sh.size(); ++i) {
      const Elf64_Shdr &s = sh[i];
      if (!(s.sh_flags & SHF_ALLOC) || s.sh_type == kShtX86_64Unwind)
        continue;
      if (s.sh_type == SHT_INIT_ARRAY || s.sh_type == SHT_FINI_ARRAY ||
          s.sh_type == SHT_PREINIT_ARRAY || sectionName(s.sh_name) == ".ctors")
        return bad("section '" + sectionName(s.sh_name) +
                   "' (static constructors) is not supported");
      if (s.sh_flags & SHF_TLS)
        return bad("thread-local section '" + sectionName(s.sh_name) +
                   "' is not supported");
      int g = (s.sh_flags & SHF_EXECINSTR) ? 0 : (s.sh_flags & SHF_WRITE) ? 2 : 1;
      if (g != group)
        continue;
      cursor = alignUp(cursor, std::max<size_t>(1, size_t(s.sh_addralign)));
      layout[i] = {cursor, true};
      cursor += size_t(s.sh_size);
    }
  }
  groupStart[3] = alignUp(cursor, size_t(pageSize()));
  size_t total = std::max<size_t>(groupStart[3], size_t(pageSize()));
  void *mem = ::mmap(nullptr, total, PROT_READ | PROT_WRITE,
                     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  if (mem == MAP_FAILED)
    return bad("cannot map " + std::to_string(total) + " bytes: " +
               std::strerror(errno));
  std::unique_ptr<LoadedObject> obj(new LoadedObject);
  obj->base_ = mem;
  obj->size_ = total;
  auto *base = static_cast<uint8_t *>(mem);
  for (size_t i = 0; i < sh.size(); ++i)
    if (layout[i].loaded && sh[i].sh_type != SHT_NOBITS)
      std::memcpy(base + layout[i].offset, data + sh[i].sh_offset,
                  size_t(sh[i].sh_size));

  // The symbol table (exactly one) and its strings.
  const Elf64_Shdr *symtab = nullptr;
  for (const Elf64_Shdr &s : sh)
    if (s.sh_type == SHT_SYMTAB) {
      if (symtab)
        return bad("more than one symbol table");
      symtab = &s;
    }
  if (!symtab)
    return bad("no symbol table");
  if (symtab->sh_entsize != sizeof(Elf64_Sym) ||
      symtab->sh_link >= sh.size() || sh[symtab->sh_link].sh_type != SHT_STRTAB)
    return bad("malformed symbol table");
  const Elf64_Shdr &strtab = sh[symtab->sh_link];
  size_t nsyms = size_t(symtab->sh_size / sizeof(Elf64_Sym));
  std::vector<uint64_t> address(nsyms, 0);
  std::vector<bool> usable(nsyms, false);
  for (size_t k = 0; k < nsyms; ++k) {
    Elf64_Sym sym;
    std::memcpy(&sym, data + symtab->sh_offset + k * sizeof(Elf64_Sym),
                sizeof sym);
    if (sym.st_name >= strtab.sh_size)
      return bad("symbol " + std::to_string(k) + " has a bad name offset");
    const char *p = reinterpret_cast<const char *>(data + strtab.sh_offset +
                                                   sym.st_name);
    std::string symName(p, strnlen(p, strtab.sh_size - sym.st_name));
    if (k == 0)
      continue; // the null symbol
    if (sym.st_shndx == SHN_UNDEF) {
      if (symName.empty())
        continue;
      void *target = runtimeSymbol(symName);
      if (!target)
        return bad("undefined symbol '" + symName +
                   "' (not a function the runtime provides)");
      address[k] = reinterpret_cast<uint64_t>(target);
      usable[k] = true;
    } else if (sym.st_shndx == SHN_ABS) {
      address[k] = sym.st_value;
      usable[k] = true;
    } else if (sym.st_shndx == SHN_COMMON) {
      return bad("common symbol '" + symName + "' is not supported");
    } else if (sym.st_shndx < sh.size()) {
      if (!layout[sym.st_shndx].loaded)
        continue; // in a section that is not loaded (unwind tables)
      if (sym.st_value > sh[sym.st_shndx].sh_size)
        return bad("symbol '" + symName + "' lies outside its section");
      address[k] = reinterpret_cast<uint64_t>(base) +
                   layout[sym.st_shndx].offset + sym.st_value;
      usable[k] = true;
      if (ELF64_ST_BIND(sym.st_info) != STB_LOCAL && !symName.empty())
        obj->symbols_[symName] = reinterpret_cast<void *>(address[k]);
    } else {
      return bad("symbol '" + symName + "' has section index " +
                 std::to_string(sym.st_shndx));
    }
  }

  // Relocations of the loaded sections.
  for (const Elf64_Shdr &rs : sh) {
    if (rs.sh_type == SHT_REL)
      return bad("REL relocations are not supported (expected RELA)");
    if (rs.sh_type != SHT_RELA)
      continue;
    if (rs.sh_info >= sh.size() || rs.sh_link >= sh.size() ||
        rs.sh_entsize != sizeof(Elf64_Rela) || &sh[rs.sh_link] != symtab)
      return bad("malformed relocation section");
    if (!layout[rs.sh_info].loaded)
      continue; // relocations of an unloaded section (.eh_frame)
    const Elf64_Shdr &target = sh[rs.sh_info];
    uint8_t *section = base + layout[rs.sh_info].offset;
    size_t n = size_t(rs.sh_size / sizeof(Elf64_Rela));
    for (size_t j = 0; j < n; ++j) {
      Elf64_Rela r;
      std::memcpy(&r, data + rs.sh_offset + j * sizeof(Elf64_Rela), sizeof r);
      uint32_t type = uint32_t(ELF64_R_TYPE(r.r_info));
      uint64_t symIndex = ELF64_R_SYM(r.r_info);
      if (type == R_X86_64_NONE)
        continue;
      if (symIndex >= nsyms || !usable[symIndex])
        return bad("relocation " + std::to_string(j) + " of section '" +
                   sectionName(target.sh_name) + "' names an unusable symbol");
      size_t width = (type == R_X86_64_64 || type == R_X86_64_PC64) ? 8 : 4;
      if (target.sh_type == SHT_NOBITS || !fits(r.r_offset, width, target.sh_size))
        return bad("relocation " + std::to_string(j) + " of section '" +
                   sectionName(target.sh_name) + "' lies outside it");
      uint8_t *place = section + r.r_offset;
      uint64_t s = address[symIndex], p = reinterpret_cast<uint64_t>(place);
      uint64_t a = uint64_t(r.r_addend);
      switch (type) {
      case R_X86_64_64: {
        uint64_t v = s + a;
        std::memcpy(place, &v, 8);
        break;
      }
      case R_X86_64_PC64: {
        uint64_t v = s + a - p;
        std::memcpy(place, &v, 8);
        break;
      }
      case R_X86_64_PC32:
      case R_X86_64_PLT32: {
        int64_t v = int64_t(s + a - p);
        if (v != int64_t(int32_t(v)))
          return bad("a 32-bit PC-relative relocation does not reach its "
                     "target (was the object compiled with the large code "
                     "model?)");
        int32_t w = int32_t(v);
        std::memcpy(place, &w, 4);
        break;
      }
      default:
        return bad("unsupported relocation type " + std::to_string(type) +
                   " in section '" + sectionName(target.sh_name) + "'");
      }
    }
  }

  // W^X: code read+execute, constants read-only, data read+write.
  int prot[3] = {PROT_READ | PROT_EXEC, PROT_READ, PROT_READ | PROT_WRITE};
  for (int g = 0; g < 3; ++g)
    if (groupStart[g + 1] > groupStart[g] &&
        ::mprotect(base + groupStart[g], groupStart[g + 1] - groupStart[g],
                   prot[g]) != 0)
      return bad(std::string("cannot protect the loaded code: ") +
                 std::strerror(errno));
  out = std::move(obj);
  return Status::ok();
}

} // namespace loom::rt
