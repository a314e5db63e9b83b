// Thin bridge to the system snappy library (libsnappy-dev), through its C API.
#ifndef CKAFKA_SNAPPY_SHIM_H
#define CKAFKA_SNAPPY_SHIM_H

#include <snappy-c.h>

#endif
