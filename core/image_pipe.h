/* image_pipe.h - compressed archives through the host's gzip, xz, zstd or
 * bzip2 in a pipe: we read (or write) plain tar, the tool does the codec. */
#ifndef BOX_IMAGE_PIPE_H
#define BOX_IMAGE_PIPE_H

#include "box.h"

#include <sys/types.h>

struct zpipe {
	int fd;         /* read decompressed / write uncompressed here */
	int file_fd;    /* the file itself (shared offset with the tool) */
	pid_t pid;      /* the tool, 0 when the file is plain tar */
	const char *tool;
};

/* Open path for reading as plain tar: the codec is told by the first bytes
 * of the file, not its name (OCI blobs have no extension). */
int zpipe_open_read(const char *path, struct zpipe *z, struct box_err *err);
/* The same for a file already open (fd is taken: zpipe_close closes it, as
 * does a failure), read from its start; name for errors. */
int zpipe_open_fd(int fd, const char *name, struct zpipe *z,
		  struct box_err *err);
/* Create path for writing a tar; compressed when name (the file's final
 * name, path may be a temporary one) ends in .gz/.tgz/.xz/.zst/.bz2. */
int zpipe_open_write(const char *path, const char *name, struct zpipe *z,
		     struct box_err *err);
/* Bytes of the (compressed) file consumed so far, for progress. */
off_t zpipe_pos(const struct zpipe *z);
/* Close; with ok the tool must have exited 0 (else its failure is the
 * error), without it the tool is stopped.  Returns -1 on failure. */
int zpipe_close(struct zpipe *z, bool ok, struct box_err *err);
/* The first bytes look like a tar archive or a compressed stream. */
bool zpipe_is_archive(const char *path);

#endif
