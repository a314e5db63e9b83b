#ifndef CKAFKA_CRC32C_H
#define CKAFKA_CRC32C_H
#include <stddef.h>
#include <stdint.h>

/// Extends a CRC32C (Castagnoli) over `length` bytes with the fastest kernel
/// this CPU supports. Start with crc = 0; the result is the finished CRC.
uint32_t ckafka_crc32c_extend(uint32_t crc, const void *data, size_t length);

/// The portable slicing-by-8 kernel (any CPU).
uint32_t ckafka_crc32c_extend_portable(uint32_t crc, const void *data, size_t length);

/// The hardware kernel, one instruction stream (no lane interleaving).
/// Falls back to the portable kernel when the CPU lacks CRC instructions.
uint32_t ckafka_crc32c_extend_hw_serial(uint32_t crc, const void *data, size_t length);

/// The hardware kernel with three interleaved lanes over large blocks.
/// Falls back to the portable kernel when the CPU lacks CRC instructions.
uint32_t ckafka_crc32c_extend_hw_interleaved(uint32_t crc, const void *data, size_t length);

/// 1 when this CPU has CRC32C instructions the hardware kernels use, else 0.
int ckafka_crc32c_hardware_available(void);

/// Combines crc(A) and crc(B) into crc(A || B), given B's length.
uint32_t ckafka_crc32c_combine(uint32_t crc_a, uint32_t crc_b, size_t length_b);

#endif
