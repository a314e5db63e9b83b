// Thin bridge to the system OpenSSL (libssl-dev). Function-like macros that
// Swift cannot import get `static inline` wrappers here.
#ifndef CKAFKA_OPENSSL_SHIM_H
#define CKAFKA_OPENSSL_SHIM_H

#include <openssl/ssl.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>
#include <openssl/pem.h>

static inline long ckafka_SSL_set_tlsext_host_name(SSL *ssl, const char *name) {
    return SSL_set_tlsext_host_name(ssl, name);
}

static inline long ckafka_SSL_CTX_set_min_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_min_proto_version(ctx, version);
}

static inline long ckafka_SSL_CTX_set_max_proto_version(SSL_CTX *ctx, int version) {
    return SSL_CTX_set_max_proto_version(ctx, version);
}

static inline long ckafka_BIO_get_mem_data(BIO *bio, char **data) {
    return BIO_get_mem_data(bio, data);
}

// TLS engine (KafkaClient/TLS): chain certificates and mode bits are set through macros.
static inline long ckafka_SSL_CTX_add0_chain_cert(SSL_CTX *ctx, X509 *cert) {
    return SSL_CTX_add0_chain_cert(ctx, cert);
}

static inline long ckafka_SSL_CTX_set_mode(SSL_CTX *ctx, long mode) {
    return SSL_CTX_set_mode(ctx, mode);
}

static inline void ckafka_OPENSSL_free(void *pointer) {
    OPENSSL_free(pointer);
}

#endif
