#ifndef CKAFKA_CRC32C_H
#define CKAFKA_CRC32C_H
#include <stddef.h>
#include <stdint.h>
/// Extends a CRC32C (Castagnoli) over `length` bytes. Start with crc = 0.
uint32_t ckafka_crc32c_extend(uint32_t crc, const void *data, size_t length);
#endif
