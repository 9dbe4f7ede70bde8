/* sha256.c - SHA-256 through libcrypto's EVP interface, dlopen()ed. */
#include "sha256.h"
#include "util.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>

/* The EVP calls we use, resolved once. */
static struct {
	void *lib;
	void *(*md_ctx_new)(void);
	void (*md_ctx_free)(void *);
	const void *(*sha256)(void);
	int (*init)(void *, const void *, void *);
	int (*update)(void *, const void *, size_t);
	int (*final)(void *, unsigned char *, unsigned int *);
} evp;
static pthread_once_t evp_once = PTHREAD_ONCE_INIT;
static char evp_error[256];

static void evp_load(void)
{
	static const char *const names[] = {"libcrypto.so.3", "libcrypto.so"};
	for (size_t i = 0; i < ARRAY_LEN(names) && !evp.lib; i++)
		evp.lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
	if (!evp.lib) {
		snprintf(evp_error, sizeof evp_error, "load libcrypto: %s", dlerror());
		return;
	}
	*(void **)&evp.md_ctx_new = dlsym(evp.lib, "EVP_MD_CTX_new");
	*(void **)&evp.md_ctx_free = dlsym(evp.lib, "EVP_MD_CTX_free");
	*(void **)&evp.sha256 = dlsym(evp.lib, "EVP_sha256");
	*(void **)&evp.init = dlsym(evp.lib, "EVP_DigestInit_ex");
	*(void **)&evp.update = dlsym(evp.lib, "EVP_DigestUpdate");
	*(void **)&evp.final = dlsym(evp.lib, "EVP_DigestFinal_ex");
	if (!evp.md_ctx_new || !evp.md_ctx_free || !evp.sha256 || !evp.init ||
	    !evp.update || !evp.final) {
		snprintf(evp_error, sizeof evp_error,
			 "libcrypto lacks the EVP digest functions");
		evp.lib = NULL;
	}
}

struct sha256 *sha256_new(struct box_err *err)
{
	pthread_once(&evp_once, evp_load);
	if (!evp.lib) {
		box_fail(err, BOX_ESYS, 0, "sha256: %s (apt-get install libssl3)",
			 evp_error);
		return NULL;
	}
	void *md = evp.md_ctx_new();
	if (!md || !evp.init(md, evp.sha256(), NULL)) {
		if (md)
			evp.md_ctx_free(md);
		box_fail(err, BOX_ESYS, ENOMEM, "sha256 init");
		return NULL;
	}
	return md;
}

void sha256_update(struct sha256 *h, const void *data, size_t len)
{
	evp.update(h, data, len);
}

void sha256_final(struct sha256 *h, char hex[65])
{
	unsigned char dig[32];
	unsigned int n = 0;
	evp.final(h, dig, &n);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", dig[i]);
	sha256_free(h);
}

void sha256_free(struct sha256 *h)
{
	if (h)
		evp.md_ctx_free(h);
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
