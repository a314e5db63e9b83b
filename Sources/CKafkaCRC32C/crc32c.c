#include "ckafka_crc32c.h"
// Placeholder portable kernel; the hardware kernels replace this.
uint32_t ckafka_crc32c_extend(uint32_t crc, const void *data, size_t length) {
    const uint8_t *p = data;
    crc = ~crc;
    while (length--) {
        crc ^= *p++;
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0x82F63B78u & (0u - (crc & 1u)));
    }
    return ~crc;
}
