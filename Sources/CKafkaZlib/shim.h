// Thin bridge to the system zlib (zlib1g-dev). `deflateInit2`/`inflateInit2`
// are macros, so they get `static inline` wrappers.
#ifndef CKAFKA_ZLIB_SHIM_H
#define CKAFKA_ZLIB_SHIM_H

#include <zlib.h>

static inline int ckafka_deflateInit2(z_streamp strm, int level, int method, int windowBits, int memLevel, int strategy) {
    return deflateInit2(strm, level, method, windowBits, memLevel, strategy);
}

static inline int ckafka_inflateInit2(z_streamp strm, int windowBits) {
    return inflateInit2(strm, windowBits);
}

#endif
