/* image_tar.h - our own tar reader and writer (ustar, pax, GNU long names).
 *
 * Why not the host's tar or libarchive: the library set is fixed, and the
 * reader is where archive contents are judged (../ paths, links through
 * symlinks, device nodes, OCI whiteouts), so we keep that decision in code we
 * read rather than in flags of a binary whose version varies.  Decompression
 * is left to the host's gzip/xz/zstd in a pipe (image_decomp.c). */
#ifndef BOX_IMAGE_TAR_H
#define BOX_IMAGE_TAR_H

#include "box.h"

#include "sha256.h"
#include <stdint.h>
#include <sys/types.h>

struct tar_xattr {
	char *name;
	char *value;
	size_t len;
};

/* One archive member, as read: path and linkname exactly as stored (the
 * caller cleans them with tar_clean_path). */
struct tar_entry {
	char *path;
	char *linkname;
	char type;              /* '0' file '1' hardlink '2' symlink '3' chr
	                         * '4' blk '5' dir '6' fifo */
	mode_t mode;            /* permission bits only (07777) */
	uid_t uid;
	gid_t gid;
	uint64_t size;          /* data bytes of a regular file */
	time_t mtime;
	unsigned devmajor, devminor;
	struct tar_xattr *xattrs;
	size_t n_xattrs;
};

struct tar_reader {
	int fd;
	struct sha256 *md;      /* sha256 of every byte read (the diff_id) */
	uint64_t consumed;      /* bytes read from fd */
	uint64_t data_left;     /* unread data bytes of the current entry */
	uint64_t pad_left;      /* padding after it, to the 512 boundary */
	bool done;
};

int tar_reader_init(struct tar_reader *r, int fd, struct box_err *err);
void tar_reader_free(struct tar_reader *r);
/* Next entry: 1 with *e filled (free with tar_entry_free), 0 at the end of
 * the archive, -1 on error.  Unread data of the previous entry is skipped. */
int tar_next(struct tar_reader *r, struct tar_entry *e, struct box_err *err);
/* Read up to len bytes of the current entry's data: >0, 0 at its end, -1. */
ssize_t tar_read_data(struct tar_reader *r, void *buf, size_t len,
		      struct box_err *err);
/* Read the rest of the stream (trailing blocks) and give its sha256 as
 * "sha256:<hex>" in out. */
int tar_finish(struct tar_reader *r, char out[72], struct box_err *err);
void tar_entry_free(struct tar_entry *e);

/* Normalise an archive path into a relative one: leading '/' and './'
 * dropped, "." and empty components dropped.  A ".." component is refused
 * (-1): a member naming something outside the tree is never neutralised
 * into something inside it.  "" (the root itself) is a valid result. */
int tar_clean_path(const char *in, char **out, struct box_err *err);

/* ---- writer ---- */
struct tar_writer {
	int fd;
	uint64_t written;
};
/* Write one header (with a pax header before it when path, linkname, size
 * or ids do not fit ustar).  For regular files the caller then writes size
 * bytes with tar_write_data and calls tar_write_pad. */
int tar_write_header(struct tar_writer *w, const struct tar_entry *e,
		     struct box_err *err);
int tar_write_data(struct tar_writer *w, const void *buf, size_t len,
		   struct box_err *err);
int tar_write_pad(struct tar_writer *w, uint64_t size, struct box_err *err);
/* The two zero blocks that end an archive. */
int tar_write_end(struct tar_writer *w, struct box_err *err);

#endif
