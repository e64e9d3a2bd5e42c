//===- DatasetIdx.cpp - IDX files (MNIST's format), plain or gzipped ------===//
//
// IDX is a 4-byte magic (two zero bytes, a type code, the number of
// dimensions), big-endian u32 dimensions, then big-endian data; data sets
// ship it gzipped. The decompressor is zlib's inflate driven by hand rather
// than gzread, for two reasons: gzread silently passes non-gzip bytes
// through and ignores garbage after the stream, and pulling output on demand
// lets the reader read the header first and then inflate at most one byte
// more than the header promises, so a corrupt header or a gzip bomb cannot
// make it allocate more than the data really holds.
//
//===----------------------------------------------------------------------===//

#include "loom/rt/data/Dataset.h"

#include "loom/rt/core/FileUtil.h"

#include <climits>
#include <cstdio>
#include <cstring>
#include <exception>
#include <limits>
#include <zlib.h>

namespace loom::rt {

namespace {

constexpr size_t kChunk = 1 << 18;

/// Bytes of a file, decompressed on demand when it is gzip.
class ByteSource {
public:
  ByteSource(const std::string &path, const std::string &file)
      : path_(path), in_(file) {
    gzip_ = file.size() >= 2 && static_cast<unsigned char>(file[0]) == 0x1f &&
            static_cast<unsigned char>(file[1]) == 0x8b;
    if (gzip_) {
      std::memset(&z_, 0, sizeof(z_));
      zInit_ = inflateInit2(&z_, 16 + MAX_WBITS) == Z_OK;
    }
  }
  ~ByteSource() {
    if (zInit_)
      inflateEnd(&z_);
  }
  ByteSource(const ByteSource &) = delete;
  ByteSource &operator=(const ByteSource &) = delete;

  bool isGzip() const { return gzip_; }

  /// Makes `out` hold at least `want` bytes of the content, or all of it
  /// when it is shorter. Errors for corrupt or truncated gzip data.
  Status fill(std::string &out, size_t want) {
    if (!gzip_) {
      if (out.size() < want && out.size() < in_.size())
        out.append(in_, out.size(), std::min(want, in_.size()) - out.size());
      return Status::ok();
    }
    if (!zInit_)
      return Status::error(path_ + ": cannot initialize zlib");
    while (out.size() < want && !finished_) {
      if (z_.avail_in == 0 && inPos_ < in_.size()) {
        size_t n = std::min<size_t>(in_.size() - inPos_, UINT_MAX);
        z_.next_in =
            reinterpret_cast<Bytef *>(const_cast<char *>(in_.data() + inPos_));
        z_.avail_in = uInt(n);
        inPos_ += n;
      }
      size_t old = out.size();
      size_t room = std::min(kChunk, want - old);
      out.resize(old + room);
      z_.next_out = reinterpret_cast<Bytef *>(out.data() + old);
      z_.avail_out = uInt(room);
      int rc = inflate(&z_, Z_NO_FLUSH);
      out.resize(old + room - z_.avail_out);
      bool inputLeft = z_.avail_in > 0 || inPos_ < in_.size();
      if (rc == Z_STREAM_END) {
        if (!inputLeft) {
          finished_ = true;
        } else if (z_.avail_in >= 2 && z_.next_in[0] == 0x1f &&
                   z_.next_in[1] == 0x8b) {
          inflateReset(&z_); // a further gzip member (concatenated .gz)
        } else {
          return Status::error(path_ + ": corrupt gzip data: garbage after "
                                       "the end of the compressed stream");
        }
      } else if (rc == Z_OK || rc == Z_BUF_ERROR) {
        if (!inputLeft && z_.avail_out > 0)
          return Status::error(path_ + ": truncated gzip data (the "
                                       "compressed stream ends early)");
      } else {
        return Status::error(
            path_ + ": corrupt gzip data: " + (z_.msg ? z_.msg : zError(rc)));
      }
    }
    return Status::ok();
  }

private:
  const std::string &path_;
  const std::string &in_;
  bool gzip_ = false, zInit_ = false, finished_ = false;
  z_stream z_;
  size_t inPos_ = 0;
};

/// A decoded IDX file: type code, dimensions, raw big-endian data.
struct IdxRaw {
  unsigned type = 0;
  std::vector<int64_t> dims;
  std::string bytes; // header + data; the data starts at dataOffset
  size_t dataOffset = 0;
  uint32_t magic() const { return (type << 8) | unsigned(dims.size()); }
};

size_t elementSize(unsigned type) {
  switch (type) {
  case 0x08: // unsigned byte
  case 0x09: // signed byte
    return 1;
  case 0x0B: // short
    return 2;
  case 0x0C: // int
  case 0x0D: // float
    return 4;
  case 0x0E: // double
    return 8;
  }
  return 0;
}

std::string hex32(uint32_t v) {
  char buf[16];
  std::snprintf(buf, sizeof(buf), "0x%08x", v);
  return buf;
}

uint32_t bigEndian32(const char *p) {
  const auto *u = reinterpret_cast<const unsigned char *>(p);
  return (uint32_t(u[0]) << 24) | (uint32_t(u[1]) << 16) |
         (uint32_t(u[2]) << 8) | uint32_t(u[3]);
}

Status readIdxRaw(const std::string &path, IdxRaw &out) {
  std::string file;
  if (Status s = readFile(path, file); !s)
    return s;
  ByteSource src(path, file);
  std::string &b = out.bytes;
  const char *what = src.isGzip() ? "decompressed data" : "file";

  if (Status s = src.fill(b, 4); !s)
    return s;
  if (b.size() < 4)
    return Status::error(path + ": " + what + " is " +
                         std::to_string(b.size()) +
                         " bytes, too short for an IDX header");
  uint32_t magic = bigEndian32(b.data());
  out.type = (magic >> 8) & 0xff;
  unsigned rank = magic & 0xff;
  if ((magic >> 16) != 0 || elementSize(out.type) == 0 || rank == 0)
    return Status::error(path + ": not an IDX file (magic " + hex32(magic) +
                         "; expected 0x0000TTDD with type code TT in 08, 09, "
                         "0B, 0C, 0D, 0E and DD >= 1 dimensions)");

  size_t headerBytes = 4 + 4 * size_t(rank);
  if (Status s = src.fill(b, headerBytes); !s)
    return s;
  if (b.size() < headerBytes)
    return Status::error(path + ": truncated IDX header (" +
                         std::to_string(rank) + " dimensions need " +
                         std::to_string(headerBytes) + " bytes, the " + what +
                         " has " + std::to_string(b.size()) + ")");
  size_t dataBytes = elementSize(out.type);
  std::string dimsText;
  for (unsigned i = 0; i < rank; ++i) {
    uint32_t d = bigEndian32(b.data() + 4 + 4 * i);
    out.dims.push_back(int64_t(d));
    dimsText += (i ? " x " : "") + std::to_string(d);
    if (d != 0 && dataBytes > (std::numeric_limits<size_t>::max() / 2) / d)
      return Status::error(path + ": IDX dimensions " + dimsText +
                           " are too large");
    dataBytes *= d;
  }

  /// One byte past the promised size is enough to detect trailing data.
  size_t total = headerBytes + dataBytes;
  if (Status s = src.fill(b, total + 1); !s)
    return s;
  if (b.size() < total)
    return Status::error(path + ": truncated IDX data: dimensions " + dimsText +
                         " need " + std::to_string(dataBytes) + " bytes, the " +
                         what + " has " +
                         std::to_string(b.size() - headerBytes));
  if (b.size() > total)
    return Status::error(path + ": trailing data after the " +
                         std::to_string(dataBytes) + " bytes that dimensions " +
                         dimsText + " describe");
  out.dataOffset = headerBytes;
  return Status::ok();
}

/// Element i of the big-endian data as a double.
double idxValue(const IdxRaw &r, size_t i) {
  const auto *p =
      reinterpret_cast<const unsigned char *>(r.bytes.data() + r.dataOffset);
  switch (r.type) {
  case 0x08:
    return p[i];
  case 0x09:
    return int8_t(p[i]);
  case 0x0B:
    return int16_t(uint16_t((p[2 * i] << 8) | p[2 * i + 1]));
  case 0x0C:
    return int32_t(bigEndian32(reinterpret_cast<const char *>(p + 4 * i)));
  case 0x0D: {
    uint32_t u = bigEndian32(reinterpret_cast<const char *>(p + 4 * i));
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  case 0x0E: {
    uint64_t u = 0;
    for (int k = 0; k < 8; ++k)
      u = (u << 8) | p[8 * i + size_t(k)];
    double d;
    std::memcpy(&d, &u, 8);
    return d;
  }
  }
  return 0;
}

DType dtypeFor(unsigned type) {
  return type == 0x0C ? DType::I32 : type == 0x0E ? DType::F64 : DType::F32;
}

} // namespace

Status readIdx(const std::string &path, HostTensor &out) {
  try {
    IdxRaw raw;
    if (Status s = readIdxRaw(path, raw); !s)
      return s;
    HostTensor t(TensorType{dtypeFor(raw.type), raw.dims});
    for (int64_t i = 0, n = t.numElements(); i < n; ++i)
      t.set(i, idxValue(raw, size_t(i)));
    out = std::move(t);
    return Status::ok();
  } catch (const std::exception &e) {
    return Status::error(path + ": " + e.what());
  }
}

Status loadIdxDataset(const std::string &imagesPath,
                      const std::string &labelsPath, const IdxOptions &opts,
                      Dataset &out) {
  try {
    IdxRaw images, labels;
    if (Status s = readIdxRaw(imagesPath, images); !s)
      return s;
    if (images.magic() != 0x803)
      return Status::error(imagesPath +
                           ": expected an IDX image file (magic 0x00000803: "
                           "unsigned bytes, 3 dimensions), found magic " +
                           hex32(images.magic()));
    if (Status s = readIdxRaw(labelsPath, labels); !s)
      return s;
    if (labels.dims.size() != 1)
      return Status::error(labelsPath +
                           ": expected an IDX label file (magic 0x00000801: "
                           "1 dimension), found magic " +
                           hex32(labels.magic()));
    int64_t n = images.dims[0], rows = images.dims[1], cols = images.dims[2];
    if (labels.dims[0] != n)
      return Status::error(imagesPath + " has " + std::to_string(n) +
                           " images but " + labelsPath + " has " +
                           std::to_string(labels.dims[0]) + " labels");

    Dataset d;
    std::vector<int64_t> shape = opts.flatten
                                     ? std::vector<int64_t>{n, rows * cols}
                                     : std::vector<int64_t>{n, 1, rows, cols};
    d.features = HostTensor(TensorType{DType::F32, shape});
    const auto *pixels = reinterpret_cast<const unsigned char *>(
        images.bytes.data() + images.dataOffset);
    float *f = d.features.as<float>();
    for (int64_t i = 0, e = d.features.numElements(); i < e; ++i)
      f[i] = float(pixels[i]) / 255.0f;
    images.bytes = std::string(); // free the raw bytes before the labels

    d.labels = HostTensor(TensorType{DType::F32, {n}});
    float *l = d.labels.as<float>();
    for (int64_t i = 0; i < n; ++i)
      l[i] = float(idxValue(labels, size_t(i)));
    out = std::move(d);
    return Status::ok();
  } catch (const std::exception &e) {
    return Status::error(imagesPath + ": " + e.what());
  }
}

} // namespace loom::rt
