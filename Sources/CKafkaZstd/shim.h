// Thin bridge to the system zstd library (libzstd-dev).
#ifndef CKAFKA_ZSTD_SHIM_H
#define CKAFKA_ZSTD_SHIM_H

#include <zstd.h>

#endif
