// Thin bridge to the system lz4 library (liblz4-dev): the frame format
// (KIP-57) that Kafka uses.
#ifndef CKAFKA_LZ4_SHIM_H
#define CKAFKA_LZ4_SHIM_H

#include <lz4frame.h>

#endif
