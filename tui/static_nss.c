/* static_nss.c - the name-service calls a static boxtop must not make.
 *
 * In a static binary, glibc's getaddrinfo and getprotoby* load NSS modules
 * at run time, which must come from the exact glibc the binary was linked
 * with (the linker warns about each).  boxtop resolves no host, service or
 * protocol names: only libnl's printing and parsing helpers refer to these,
 * in functions boxtop never calls.  These definitions take their place in
 * the static link (STATIC=1, Makefile) and fail cleanly if one ever were
 * called.  User names come from the container's own /etc/passwd
 * (core/stats_procs.c), not from NSS. */
#ifdef BOXTOP_STATIC
#include <netdb.h>
#include <stddef.h>

int getaddrinfo(const char *node, const char *service,
		const struct addrinfo *hints, struct addrinfo **res)
{
	(void)node, (void)service, (void)hints;
	*res = NULL;
	return EAI_FAIL;
}

void freeaddrinfo(struct addrinfo *res)
{
	(void)res;
}

struct protoent *getprotobyname(const char *name)
{
	(void)name;
	return NULL;
}

struct protoent *getprotobynumber(int proto)
{
	(void)proto;
	return NULL;
}
#else
/* ISO C wants a translation unit to declare something. */
typedef int static_nss_unused;
#endif
