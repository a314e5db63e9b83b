// CRC32C (Castagnoli, reflected polynomial 0x82F63B78) kernels.
//
// All kernels work on the raw CRC register (the value without the pre/post
// inversion); the public entry points invert on the way in and out. The
// register update over data D is linear: reg' = Z(|D|) * reg XOR f(D), where
// Z(n) is "feed n zero bytes". That is what lets independent lanes be
// combined: each lane after the first starts at 0 and the earlier lanes are
// moved forward by Z(lane length), applied with four 256-entry tables.
#include "ckafka_crc32c.h"

#include <pthread.h>
#include <string.h>

#if defined(__x86_64__)
#include <nmmintrin.h>
#define CKAFKA_HW_TARGET __attribute__((target("sse4.2")))
#elif defined(__aarch64__)
#include <arm_acle.h>
#include <sys/auxv.h>
#ifndef HWCAP_CRC32
#define HWCAP_CRC32 (1 << 7)
#endif
#define CKAFKA_HW_TARGET __attribute__((target("crc")))
#endif

#define POLY 0x82F63B78u
// Lane lengths for the interleaved kernel: long lanes for big buffers, short
// lanes so mid-sized buffers (a few KB) still overlap three streams.
#define LONG_LANE 8192
#define SHORT_LANE 256

static uint32_t slice_table[8][256];
static uint32_t shift_long[4][256];
static uint32_t shift_short[4][256];
static int hardware;
static pthread_once_t init_once = PTHREAD_ONCE_INIT;

// Multiplies the 32x32 GF(2) matrix `mat` (column i = image of bit i) by `vec`.
static uint32_t gf2_apply(const uint32_t mat[32], uint32_t vec) {
    uint32_t sum = 0;
    for (int i = 0; vec; i++, vec >>= 1) {
        if (vec & 1) sum ^= mat[i];
    }
    return sum;
}

static void gf2_square(uint32_t out[32], const uint32_t mat[32]) {
    for (int i = 0; i < 32; i++) out[i] = gf2_apply(mat, mat[i]);
}

// Builds Z(bytes): the operator that feeds `bytes` zero bytes into the register.
static void zeros_operator(uint32_t out[32], size_t bytes) {
    uint32_t power[32], tmp[32];
    // One zero bit: shift right, folding the polynomial in when bit 0 was set.
    power[0] = POLY;
    for (int i = 1; i < 32; i++) power[i] = 1u << (i - 1);
    // Square three times: one zero bit -> one zero byte.
    gf2_square(tmp, power);
    gf2_square(power, tmp);
    gf2_square(tmp, power);
    memcpy(power, tmp, sizeof(power));
    for (int i = 0; i < 32; i++) out[i] = 1u << i;
    while (bytes) {
        if (bytes & 1) {
            for (int i = 0; i < 32; i++) tmp[i] = gf2_apply(power, out[i]);
            memcpy(out, tmp, sizeof(tmp));
        }
        bytes >>= 1;
        if (bytes) {
            gf2_square(tmp, power);
            memcpy(power, tmp, sizeof(power));
        }
    }
}

static void build_shift_table(uint32_t table[4][256], size_t bytes) {
    uint32_t op[32];
    zeros_operator(op, bytes);
    for (int k = 0; k < 4; k++) {
        for (uint32_t b = 0; b < 256; b++) table[k][b] = gf2_apply(op, b << (8 * k));
    }
}

static inline uint32_t shift(const uint32_t table[4][256], uint32_t reg) {
    return table[0][reg & 0xFF] ^ table[1][(reg >> 8) & 0xFF] ^
           table[2][(reg >> 16) & 0xFF] ^ table[3][reg >> 24];
}

static void initialize(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++) c = (c >> 1) ^ (POLY & (0u - (c & 1u)));
        slice_table[0][n] = c;
    }
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = slice_table[0][n];
        for (int k = 1; k < 8; k++) {
            c = slice_table[0][c & 0xFF] ^ (c >> 8);
            slice_table[k][n] = c;
        }
    }
    build_shift_table(shift_long, LONG_LANE);
    build_shift_table(shift_short, SHORT_LANE);
#if defined(__x86_64__)
    __builtin_cpu_init();
    hardware = __builtin_cpu_supports("sse4.2") ? 1 : 0;
#elif defined(__aarch64__)
    hardware = (getauxval(AT_HWCAP) & HWCAP_CRC32) ? 1 : 0;
#else
    hardware = 0;
#endif
}

static inline void ensure_initialized(void) { pthread_once(&init_once, initialize); }

static inline uint64_t load64(const uint8_t *p) {
    uint64_t v;
    memcpy(&v, p, 8);
    return v; // little-endian hosts only; big-endian falls back to bytes below
}

static uint32_t portable_raw(uint32_t reg, const uint8_t *p, size_t n) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    while (n && ((uintptr_t)p & 7)) {
        reg = slice_table[0][(reg ^ *p++) & 0xFF] ^ (reg >> 8);
        n--;
    }
    while (n >= 8) {
        uint64_t w = load64(p) ^ reg;
        reg = slice_table[7][w & 0xFF] ^ slice_table[6][(w >> 8) & 0xFF] ^
              slice_table[5][(w >> 16) & 0xFF] ^ slice_table[4][(w >> 24) & 0xFF] ^
              slice_table[3][(w >> 32) & 0xFF] ^ slice_table[2][(w >> 40) & 0xFF] ^
              slice_table[1][(w >> 48) & 0xFF] ^ slice_table[0][w >> 56];
        p += 8;
        n -= 8;
    }
#endif
    while (n--) reg = slice_table[0][(reg ^ *p++) & 0xFF] ^ (reg >> 8);
    return reg;
}

#if defined(CKAFKA_HW_TARGET)
#if defined(__x86_64__)
#define CRC8(c, p) ((uint32_t)_mm_crc32_u64((c), load64(p)))
#define CRC1(c, b) _mm_crc32_u8((c), (b))
#else
#define CRC8(c, p) __crc32cd((c), load64(p))
#define CRC1(c, b) __crc32cb((c), (b))
#endif

CKAFKA_HW_TARGET
static uint32_t hw_serial_raw(uint32_t reg, const uint8_t *p, size_t n) {
    while (n && ((uintptr_t)p & 7)) {
        reg = CRC1(reg, *p++);
        n--;
    }
    while (n >= 8) {
        reg = CRC8(reg, p);
        p += 8;
        n -= 8;
    }
    while (n--) reg = CRC1(reg, *p++);
    return reg;
}

// Three independent streams hide the instruction's 3-cycle latency.
CKAFKA_HW_TARGET
static uint32_t hw_lanes(uint32_t reg, const uint8_t **pp, size_t *np, size_t lane,
                         const uint32_t table[4][256]) {
    const uint8_t *p = *pp;
    size_t n = *np;
    while (n >= 3 * lane) {
        uint32_t c0 = reg, c1 = 0, c2 = 0;
        const uint8_t *end = p + lane;
        do {
            c0 = CRC8(c0, p);
            c1 = CRC8(c1, p + lane);
            c2 = CRC8(c2, p + 2 * lane);
            p += 8;
        } while (p < end);
        reg = shift(table, shift(table, c0) ^ c1) ^ c2;
        p += 2 * lane;
        n -= 3 * lane;
    }
    *pp = p;
    *np = n;
    return reg;
}

CKAFKA_HW_TARGET
static uint32_t hw_interleaved_raw(uint32_t reg, const uint8_t *p, size_t n) {
    while (n && ((uintptr_t)p & 7)) {
        reg = CRC1(reg, *p++);
        n--;
    }
    reg = hw_lanes(reg, &p, &n, LONG_LANE, shift_long);
    reg = hw_lanes(reg, &p, &n, SHORT_LANE, shift_short);
    return hw_serial_raw(reg, p, n);
}
#endif

uint32_t ckafka_crc32c_extend_portable(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
    return ~portable_raw(~crc, data, length);
}

uint32_t ckafka_crc32c_extend_hw_serial(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
#if defined(CKAFKA_HW_TARGET)
    if (hardware) return ~hw_serial_raw(~crc, data, length);
#endif
    return ~portable_raw(~crc, data, length);
}

uint32_t ckafka_crc32c_extend_hw_interleaved(uint32_t crc, const void *data, size_t length) {
    ensure_initialized();
#if defined(CKAFKA_HW_TARGET)
    if (hardware) return ~hw_interleaved_raw(~crc, data, length);
#endif
    return ~portable_raw(~crc, data, length);
}

uint32_t ckafka_crc32c_extend(uint32_t crc, const void *data, size_t length) {
    return ckafka_crc32c_extend_hw_interleaved(crc, data, length);
}

int ckafka_crc32c_hardware_available(void) {
    ensure_initialized();
    return hardware;
}

uint32_t ckafka_crc32c_combine(uint32_t crc_a, uint32_t crc_b, size_t length_b) {
    // crc(A||B) = Z(|B|)·crc(A) ^ crc(B) for finished CRCs: the inversions of
    // both inputs cancel exactly as the zero-byte run would carry them.
    uint32_t op[32];
    if (length_b == 0) return crc_a;
    zeros_operator(op, length_b);
    return gf2_apply(op, crc_a) ^ crc_b;
}
