/* sha256.h - SHA-256 from libcrypto, loaded on first use.
 *
 * Hashing happens on image import, commit and integrity checks, never in a
 * container's monitor or on the hot start path.  Linking libcrypto into
 * the binary made every process (each long-lived monitor included) map
 * and relocate it: ~400 kB of private pages per monitor and ~1 ms per
 * command.  So it is dlopen()ed by the few processes that hash. */
#ifndef BOX_SHA256_H
#define BOX_SHA256_H

#include "box.h"

struct sha256;

struct sha256 *sha256_new(struct box_err *err);
void sha256_update(struct sha256 *h, const void *data, size_t len);
/* Writes 64 lowercase hex digits and a NUL; frees h. */
void sha256_final(struct sha256 *h, char hex[65]);
void sha256_free(struct sha256 *h);
/* The digest of everything readable from fd. */
int sha256_fd(int fd, char hex[65], struct box_err *err);

#endif
