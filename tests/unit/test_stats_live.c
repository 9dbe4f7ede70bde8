/* test_stats_live.c - the sampler (box_stats_sample) against real
 * containers: network counters of bridged containers come from the
 * host-side dump and agree with what their own netns counts, rx and tx the
 * right way round; a --net none container shows no traffic (its lo does
 * not count); a network connected at run time is picked up; macvlan is
 * read in the container's netns; pause and resume are seen through the
 * freezer's signal; block writes show after an idle spell, and on cgroup
 * v1 through the focused container's processes.
 *
 * Safety: the process first moves into a network namespace of its own
 * (unshare), so the bridge, veths and macvlan parent it makes live there
 * and go with it.  Its own temporary BOXTOP_ROOT; every container is
 * removed at the end. */
#include "box.h"
#include "cgroup.h"
#include "ctx.h"
#include "unit.h"
#include "unit_sh.h"
#include "util.h"

#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *bin;
static struct box_stats *st;
static struct box_ctx *ctx;

/* Run the CLI (output thrown away); its exit status. */
static int b(const char *args)
{
	return sh("%s %s >/dev/null 2>&1", bin, args);
}

/* One sample, then name's row (a copy; sampled false when missing). */
static struct box_stat_row row(const char *name)
{
	struct box_stat_row r = {0};
	struct box_err err = {0};
	if (box_stats_sample(st, &err) < 0)
		return r;
	const struct box_stat_row *rows;
	size_t n = box_stats_rows(st, &rows);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(rows[i].info.name, name))
			r = rows[i];
	return r;
}

/* The container's own view (/proc/<pid>/net/dev, all but lo) lies between
 * two samples taken around it. */
static bool bracketed(const char *name, struct box_net_counters *own)
{
	struct box_stat_row r1 = row(name);
	struct box_err err = {0};
	if (!r1.sampled || box_net_counters(r1.info.pid, own, &err) < 0)
		return false;
	struct box_stat_row r2 = row(name);
	return r2.sampled && r1.net_rx_bytes <= own->rx_bytes &&
	       own->rx_bytes <= r2.net_rx_bytes &&
	       r1.net_tx_bytes <= own->tx_bytes && own->tx_bytes <= r2.net_tx_bytes;
}

static void test_net(void)
{
	struct box_net_counters own;
	CHECK("net create", b("net create st --subnet 10.79.0.0/24") == 0);
	CHECK("create a b n",
	      b("create a --net st -- sleep 600") == 0 &&
		      b("create b --net st -- sleep 600") == 0 &&
		      b("create n --net none -- sleep 600") == 0);
	CHECK("start a b n", b("start a b n") == 0);
	CHECK("a pings b", b("exec a -- ping -c1 -W2 10.79.0.3") == 0);
	/* asymmetric traffic: a fetches 60 kB from a web server on b */
	CHECK("web server on b",
	      b("exec b -- sh -c 'dd if=/dev/zero of=/big bs=1000 count=60 "
		"2>/dev/null && httpd -h /'") == 0);
	CHECK("a fetches from b",
	      b("exec a -- wget -q -O /dev/null http://10.79.0.3/big") == 0);
	CHECK("bridged: sample agrees with the container's own counters",
	      bracketed("a", &own) && own.rx_bytes >= 60000);
	struct box_stat_row ra = row("a"), rb = row("b");
	CHECK("bridged: what a fetched is its rx, not its tx",
	      ra.net_rx_bytes >= 60000 && ra.net_tx_bytes < ra.net_rx_bytes / 2);
	CHECK("bridged: what b served is its tx", rb.net_tx_bytes >= 60000 &&
						rb.net_rx_bytes < rb.net_tx_bytes / 2);
	CHECK("bridged b: sample agrees with its own counters",
	      bracketed("b", &own) && own.tx_bytes >= 60000);
	b("exec n -- ping -c3 -i0.2 -W1 127.0.0.1");
	struct box_stat_row rn = row("n");
	CHECK("--net none: sampled, no traffic (lo does not count)",
	      rn.sampled && rn.net_rx_bytes == 0 && rn.net_tx_bytes == 0 &&
		      rn.net_rx_bps == 0 && rn.net_tx_bps == 0);
	/* a network joined at run time: the leases change, it is counted */
	CHECK("connect n to st", b("net connect n st") == 0);
	CHECK("n pings a over it", b("exec n -- ping -c2 -i0.2 -W2 10.79.0.2") == 0);
	rn = row("n");
	CHECK("connected at run time: counted",
	      rn.net_rx_bytes > 0 && rn.net_tx_bytes > 0);
	CHECK("connected at run time: agrees with its own counters",
	      bracketed("n", &own) && own.rx_bytes > 0);

	/* macvlan lives only in the container: read there */
	if (sh("ip link add btmvp0 type veth peer name btmvp1 && "
	       "ip link set btmvp0 up && ip link set btmvp1 up") != 0) {
		printf("SKIP: macvlan counters - no veth pair for a parent\n");
		return;
	}
	CHECK("macvlan net",
	      b("net create mv --type macvlan --parent btmvp0 --subnet 192.168.79.0/24") == 0);
	CHECK("m on macvlan", b("create m --net mv -- sleep 600") == 0 &&
				      b("start m") == 0);
	b("exec m -- ping -c2 -i0.2 -W1 192.168.79.1");
	CHECK("macvlan: sample agrees with its own counters",
	      bracketed("m", &own));
	CHECK("macvlan: its pings counted", own.tx_bytes > 0);
}

/* Sample until name shows status, up to ~2 s: the kernel may hold the
 * freezer's change signal back up to 10 ms. */
static bool status_seen(const char *name, enum box_status want)
{
	for (int i = 0; i < 100; i++) {
		if (row(name).info.status == want)
			return true;
		usleep(20000);
	}
	return false;
}

static void test_freeze_and_disk(void)
{
	CHECK("running before freeze", row("b").info.status == BOX_RUNNING);
	CHECK("freeze b", b("freeze b") == 0);
	CHECK("paused seen", status_seen("b", BOX_PAUSED));
	CHECK("still paused a sample later", row("b").info.status == BOX_PAUSED);
	CHECK("thaw b", b("thaw b") == 0);
	CHECK("running seen again", row("b").info.status == BOX_RUNNING);
	CHECK("still running a sample later", row("b").info.status == BOX_RUNNING);
	CHECK("freeze b again", b("freeze b") == 0);
	CHECK("paused seen again", status_seen("b", BOX_PAUSED));
	CHECK("thaw b again", b("thaw b") == 0);
	CHECK("running seen at once", row("b").info.status == BOX_RUNNING);

	/* block writes: only where this kernel's blkio/io counts them */
	struct box_stat_row r = row("b");
	struct cg_counters c0, c1;
	struct box_err err = {0};
	bool counted =
		cg_read_counters(&ctx->cg, r.info.cgroup, &c0,
				 &err) == 0 &&
		b("exec b -- dd if=/dev/zero of=/ddtest bs=64k count=32 oflag=direct") == 0 &&
		cg_read_counters(&ctx->cg, r.info.cgroup, &c1,
				 &err) == 0 &&
		c1.blk_write > c0.blk_write;
	if (!counted) {
		printf("SKIP: block writes - the cgroup counts no O_DIRECT write here\n");
		return;
	}
	r = row("b");
	CHECK("block writes show", r.blk_wr_bps > 0);
	row("b");
	r = row("b");
	CHECK("idle again: no block traffic", r.sampled && r.blk_wr_bps == 0);
}

/* Where the cgroup cannot count disk I/O (v1 blkio: only throttled I/O on
 * current kernels), the focused container's comes from its processes: a
 * write by a child its init reaps shows in its rate. */
static void test_focused_disk(void)
{
	const struct cg_layout *l = &ctx->cg;
	if (!ctx->cg_ok || l->blkio < 0 || l->hier[l->blkio].v2) {
		printf("SKIP: focused disk I/O - the cgroup counts it here\n");
		return;
	}
	CHECK("disk writer made",
	      b("create dio --net none -- sh -c 'while [ ! -e /go ]; do sleep 0.05; done; "
		"dd if=/dev/zero of=/ddtest bs=64k count=64 conv=fsync; sleep 1000'") == 0 &&
		      b("start dio") == 0);
	struct box_stat_row r = row("dio");
	CHECK("not focused: nothing counts its disk I/O, n/a (not 0)",
	      r.sampled && r.io_src == BOX_IO_NONE);
	box_stats_focus(st, "dio");
	row("dio");
	r = row("dio");
	CHECK("focused: counted from its processes", r.io_src == BOX_IO_PROCS);
	CHECK("focused, before the write: no block traffic",
	      r.sampled && r.blk_wr_bps == 0);
	CHECK("go", b("exec dio -- touch /go") == 0);
	bool seen = false;
	for (int i = 0; i < 200 && !seen; i++) {
		seen = row("dio").blk_wr_bps > 0;
		usleep(20000);
	}
	CHECK("focused: the 4 MB written shows as a write rate", seen);
	CHECK("focused: the 4 MB are in its total",
	      row("dio").blk_wr_bytes >= 64 * 65536);
	box_stats_focus(st, NULL);
	CHECK("rm dio", b("rm --force dio") == 0);
}

int main(void)
{
	if (!unit_need_root("live stats"))
		UNIT_DONE();
	if (unshare(CLONE_NEWNET) < 0) {
		printf("SKIP: live stats - no network namespace\n");
		UNIT_DONE();
	}
	bin = getenv("BOXTOP_BIN");
	if (!bin)
		bin = "build/boxtop";
	char root[] = "/tmp/boxtop-unit.XXXXXX";
	if (!mkdtemp(root)) {
		CHECK("mkdtemp", 0);
		UNIT_DONE();
	}
	setenv("BOXTOP_ROOT", root, 1);
	struct box_err err = {0};
	ctx = box_open(root, &err);
	st = ctx ? box_stats_new(ctx, &err) : NULL;
	CHECK("sampler", st != NULL);
	if (st) {
		test_net();
		test_freeze_and_disk();
		test_focused_disk();
	}
	box_stats_free(st);
	CHECK("rm all", b("rm --all --force") == 0);
	b("net rm st");
	b("net rm mv");
	box_close(ctx);
	util_rm_rf(root, &err);
	CHECK("root removed", access(root, F_OK) < 0);
	UNIT_DONE();
}
