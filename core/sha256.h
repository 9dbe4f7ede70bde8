/* sha256.h - SHA-256 of our own (sha256.c): the CPU's SHA extensions where
 * it has them, portable C elsewhere.
 *
 * Hashing happens on image import, commit and integrity checks, never in a
 * container's monitor; on the start path only the few kB of a seccomp
 * profile (the key of its compiled filter, seccomp_cache.c). */
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
/* For the unit tests: use the portable code (true) or the fastest the CPU
 * has (false, the default); returns which is in use ("portable",
 * "sha-ni"). */
const char *sha256_impl(bool portable);

#endif
