/*
 * linux.h - private to record/linux/: what the files of the Linux backend
 * share (the /proc descriptors, the descriptor budget, the clock, reading and
 * parsing helpers).  Nothing outside record/linux/ includes it; the public
 * interface is record/platform.h.  Not thread-safe: one sampling thread.
 */
#ifndef LINUX_H
#define LINUX_H

#include <stddef.h>
#include <stdint.h>

#include "platform.h"

enum {
	LINUX_STAT_BUF = 2048	/* /proc/PID/stat is ~300 bytes, <= ~1200 */
};

/* State set up once, lazily, by linux_setup(). */
struct linux_core {
	int ready;		/* linux_setup() succeeded */
	int proc_fd;		/* /proc, O_DIRECTORY: base of every openat() */
	int kids_files;		/* /proc/PID/task/TID/children exists */
	uint64_t page_size;	/* bytes */
	unsigned fd_budget;	/* descriptors the backend may keep open */
	unsigned fd_held;	/* descriptors it keeps open now */
};

/* Fields 1-24 of /proc/PID/stat that the backend uses. */
struct linux_stat {
	char comm[PLAT_NAME_MAX];	/* field 2, without the parentheses */
	char state;			/* field 3: R S D Z T t X I ... */
	int32_t ppid;			/* field 4 */
	uint64_t utime;			/* field 14, clock ticks */
	uint64_t stime;			/* field 15, clock ticks */
	uint64_t cutime;		/* field 16, clock ticks */
	uint64_t cstime;		/* field 17, clock ticks */
	uint64_t threads;		/* field 20 */
	uint64_t start;			/* field 22, clock ticks after boot */
	uint64_t rss_pages;		/* field 24 */
};

extern struct linux_core linux_core;

/* linux_util.c */
int linux_setup(void);
void linux_util_fini(void);
uint64_t linux_now_ns(void);
int linux_fd_room(unsigned n);
int linux_fd_open(int dirfd, const char *path, int flags);
void linux_fd_close(int *fd);
int linux_read_fd(int fd, char *buf, size_t cap);
int linux_read_grow(int fd, char **buf, size_t *cap, size_t max);
int linux_read_path(int dirfd, const char *path, char *buf, size_t cap);
int linux_parse_u64(const char **pp, const char *end, uint64_t *v);
int linux_parse_kv(const char *buf, size_t len, const char *key, uint64_t *v);
int linux_parse_stat(const char *buf, size_t len, struct linux_stat *st);
size_t linux_copy(char *dst, size_t cap, const char *src, size_t len);

/* linux_tree.c */
void linux_tree_zombie(int32_t pid);
void linux_tree_forget(int32_t pid);
void linux_tree_fini(void);

/* linux_proc.c */
void linux_proc_fini(void);

/* linux_sys.c */
void linux_sys_fini(void);

#endif /* LINUX_H */
