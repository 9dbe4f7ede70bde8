/* sha256.c - SHA-256 (FIPS 180-4), our own: the x86 SHA extensions where
 * the CPU has them (~1.5 GB/s here), portable C elsewhere.
 *
 * boxtop links statically (Makefile): a libcrypto dlopen()ed into a static
 * binary would bring a second C library along, and linking libcrypto in
 * would relocate it at every command's start.  Hashing is a few hundred
 * lines of well-tested arithmetic; the unit tests check FIPS vectors on
 * both paths. */
#include "sha256.h"
#include "util.h"

#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#if defined(__x86_64__)
#include <cpuid.h>
#include <immintrin.h>
#define HAVE_SHA_NI_CODE 1
#endif

struct sha256 {
	uint32_t h[8];
	uint64_t len; /* bytes hashed so far */
	uint8_t buf[64];
	size_t nbuf;
};

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static void blocks_portable(uint32_t h[8], const uint8_t *p, size_t n)
{
	for (; n--; p += 64) {
		uint32_t w[64];
		for (int t = 0; t < 16; t++)
			w[t] = (uint32_t)p[4 * t] << 24 | (uint32_t)p[4 * t + 1] << 16 |
			       (uint32_t)p[4 * t + 2] << 8 | p[4 * t + 3];
		for (int t = 16; t < 64; t++) {
			uint32_t s0 = ror(w[t - 15], 7) ^ ror(w[t - 15], 18) ^
				      (w[t - 15] >> 3);
			uint32_t s1 = ror(w[t - 2], 17) ^ ror(w[t - 2], 19) ^
				      (w[t - 2] >> 10);
			w[t] = w[t - 16] + s0 + w[t - 7] + s1;
		}
		uint32_t a = h[0], b = h[1], c = h[2], d = h[3], e = h[4],
			 f = h[5], g = h[6], k = h[7];
		for (int t = 0; t < 64; t++) {
			uint32_t t1 = k + (ror(e, 6) ^ ror(e, 11) ^ ror(e, 25)) +
				      ((e & f) ^ (~e & g)) + K[t] + w[t];
			uint32_t t2 = (ror(a, 2) ^ ror(a, 13) ^ ror(a, 22)) +
				      ((a & b) ^ (a & c) ^ (b & c));
			k = g, g = f, f = e, e = d + t1;
			d = c, c = b, b = a, a = t1 + t2;
		}
		h[0] += a, h[1] += b, h[2] += c, h[3] += d;
		h[4] += e, h[5] += f, h[6] += g, h[7] += k;
	}
}

#ifdef HAVE_SHA_NI_CODE
/* The SHA extensions keep the state as ABEF and CDGH; each sha256rnds2
 * does two rounds, so four message words take two of them. */
__attribute__((target("sha,sse4.1,ssse3"))) static void
blocks_sha_ni(uint32_t h[8], const uint8_t *p, size_t n)
{
	const __m128i bswap =
		_mm_set_epi64x(0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
	__m128i tmp = _mm_loadu_si128((const __m128i *)&h[0]);
	__m128i s1 = _mm_loadu_si128((const __m128i *)&h[4]);
	tmp = _mm_shuffle_epi32(tmp, 0xB1);     /* CDAB */
	s1 = _mm_shuffle_epi32(s1, 0x1B);       /* EFGH */
	__m128i s0 = _mm_alignr_epi8(tmp, s1, 8); /* ABEF */
	s1 = _mm_blend_epi16(s1, tmp, 0xF0);    /* CDGH */
	for (; n--; p += 64) {
		__m128i abef = s0, cdgh = s1, m[4];
#pragma GCC unroll 16
		for (int i = 0; i < 16; i++) {
			if (i < 4) {
				m[i] = _mm_shuffle_epi8(
					_mm_loadu_si128((const __m128i *)(p + 16 * i)),
					bswap);
			} else {
				/* W[t-16] + s0(W[t-15]), + W[t-7], + s1(W[t-2]) */
				__m128i x = _mm_sha256msg1_epu32(m[i % 4],
								 m[(i + 1) % 4]);
				x = _mm_add_epi32(x, _mm_alignr_epi8(m[(i + 3) % 4],
								     m[(i + 2) % 4], 4));
				m[i % 4] = _mm_sha256msg2_epu32(x, m[(i + 3) % 4]);
			}
			__m128i wk = _mm_add_epi32(
				m[i % 4], _mm_loadu_si128((const __m128i *)&K[4 * i]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, wk);
			s0 = _mm_sha256rnds2_epu32(s0, s1,
						   _mm_shuffle_epi32(wk, 0x0E));
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	tmp = _mm_shuffle_epi32(s0, 0x1B);       /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);        /* DCHG */
	s0 = _mm_blend_epi16(tmp, s1, 0xF0);     /* DCBA */
	s1 = _mm_alignr_epi8(s1, tmp, 8);        /* HGFE */
	_mm_storeu_si128((__m128i *)&h[0], s0);
	_mm_storeu_si128((__m128i *)&h[4], s1);
}

static bool cpu_has_sha_ni(void)
{
	unsigned a, b, c, d;
	if (!__get_cpuid(1, &a, &b, &c, &d) || !(c & bit_SSSE3) ||
	    !(c & bit_SSE4_1))
		return false;
	return __get_cpuid_count(7, 0, &a, &b, &c, &d) && (b & bit_SHA);
}
#endif

static void (*blocks)(uint32_t h[8], const uint8_t *p, size_t n) =
	blocks_portable;
static pthread_once_t pick_once = PTHREAD_ONCE_INIT;

/* cpuid is a trap into the hypervisor in a VM: asked once, on first use. */
static void pick_blocks(void)
{
#ifdef HAVE_SHA_NI_CODE
	if (cpu_has_sha_ni())
		blocks = blocks_sha_ni;
#endif
}

const char *sha256_impl(bool portable)
{
	pthread_once(&pick_once, pick_blocks);
	if (portable)
		blocks = blocks_portable;
	else
		pick_blocks();
	return blocks == blocks_portable ? "portable" : "sha-ni";
}

struct sha256 *sha256_new(struct box_err *err)
{
	pthread_once(&pick_once, pick_blocks);
	struct sha256 *h = malloc(sizeof *h);
	if (!h) {
		box_fail(err, BOX_ESYS, ENOMEM, "sha256 init");
		return NULL;
	}
	static const uint32_t iv[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372,
				       0xa54ff53a, 0x510e527f, 0x9b05688c,
				       0x1f83d9ab, 0x5be0cd19};
	memcpy(h->h, iv, sizeof iv);
	h->len = 0;
	h->nbuf = 0;
	return h;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	const uint8_t *p = data;
	h->len += len;
	if (h->nbuf) {
		size_t take = 64 - h->nbuf < len ? 64 - h->nbuf : len;
		memcpy(h->buf + h->nbuf, p, take);
		h->nbuf += take, p += take, len -= take;
		if (h->nbuf < 64)
			return;
		blocks(h->h, h->buf, 1);
		h->nbuf = 0;
	}
	if (len >= 64) {
		blocks(h->h, p, len / 64);
		p += len & ~(size_t)63;
		len &= 63;
	}
	memcpy(h->buf, p, len);
	h->nbuf = len;
}

void sha256_final(struct sha256 *h, char hex[65])
{
	uint64_t bits = h->len * 8;
	uint8_t pad[72] = {0x80};
	/* 0x80, zeros up to 56 mod 64, then the length in bits, big-endian */
	size_t npad = (h->nbuf < 56 ? 56 : 120) - h->nbuf;
	for (int i = 0; i < 8; i++)
		pad[npad + i] = (uint8_t)(bits >> (56 - 8 * i));
	sha256_update(h, pad, npad + 8);
	for (int i = 0; i < 8; i++)
		snprintf(hex + 8 * i, 9, "%08x", h->h[i]);
	sha256_free(h);
}

void sha256_free(struct sha256 *h)
{
	free(h);
}

int sha256_fd(int fd, char hex[65], struct box_err *err)
{
	struct sha256 *h = sha256_new(err);
	if (!h)
		return -1;
	char buf[65536];
	ssize_t n;
	while ((n = read(fd, buf, sizeof buf)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			int e = errno;
			sha256_free(h);
			return box_fail(err, BOX_ESYS, e, "read for sha256");
		}
		sha256_update(h, buf, (size_t)n);
	}
	sha256_final(h, hex);
	return 0;
}
