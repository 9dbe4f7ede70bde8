/* net_sample.h - network counters of many containers for one stats sample,
 * without reading /proc/<pid>/net/dev of each.
 *
 * Like `docker stats`, a container's traffic is the sum over its real
 * interfaces (not lo).  What those are comes from the IP leases
 * ($ROOT/networks/<name>.json, re-loaded only when that directory changed):
 *   - no lease (--net none): only lo, nothing to read, 0 traffic;
 *   - bridge lease: a veth whose host end (nif_host_name) lives in our
 *     namespace: all host ends' counters come from ONE RTM_GETSTATS dump
 *     per sample (64-bit link counters only; its rx is the container's tx
 *     and the other way round), their ifindex from an RTM_GETLINK dump
 *     made only when a name is missing;
 *   - macvlan lease (lives only in the container's netns), or a host end
 *     missing from the dump: the caller reads /proc/<pid>/net/dev.
 */
#ifndef BOX_NET_SAMPLE_H
#define BOX_NET_SAMPLE_H

#include "box.h"

struct nsample;

enum nsample_src {
	NSAMPLE_NONE,   /* lo only: rx = tx = 0 */
	NSAMPLE_DONE,   /* rx/tx filled from the host ends of its veths */
	NSAMPLE_NETNS,  /* read /proc/<pid>/net/dev in its netns */
};

/* NULL only without memory. */
struct nsample *nsample_new(struct box_ctx *ctx);
void nsample_free(struct nsample *ns);
/* Call once at the start of every sample: re-loads the leases when
 * $ROOT/networks changed and forgets the previous dump (the next
 * nsample_get that needs it makes a new one). */
void nsample_begin(struct nsample *ns);
/* Where the traffic of a running container is counted; see above. */
enum nsample_src nsample_get(struct nsample *ns, const char *container,
			     uint64_t *rx, uint64_t *tx);

/* ---- parts, for the unit tests ------------------------------------------ */

/* One host end's counters, as the host sees them. */
struct nsample_link {
	char name[16];
	uint64_t rx, tx;
};
/* Add a lease (container, ifname, veth: on a bridge) to the table; the
 * host end's name is computed here.  0 or -1 without memory. */
int nsample_add_lease(struct nsample *ns, const char *container,
		      const char *ifname, bool veth);
/* Replace both dumps with n links (tests feed them; copies them). */
int nsample_set_links(struct nsample *ns, const struct nsample_link *l,
		      size_t n);

#endif
