/*
 * linux_util.c - helpers shared by the Linux backend: lazy setup, the budget
 * of descriptors it may keep open, the clock, reading /proc files, strict
 * parsing of numbers, "key: value" lines and /proc/PID/stat (read by two
 * modules).  It keeps no per-process state.
 */
#include "linux.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>


enum {
	LINUX_FD_BUDGET_MIN = 16,	/* even under a tiny RLIMIT_NOFILE */
	LINUX_FD_BUDGET_MAX = 65536	/* descriptors kept open at most */
};

struct linux_core linux_core = { .proc_fd = -1 };

/* ---------------------------------------------------------------- setup */

/*
 * Tells whether this kernel has /proc/PID/task/TID/children
 * (CONFIG_PROC_CHILDREN).  PHOCUS_LINUX_SCAN=1 in the environment forces the
 * /proc scan instead, so that both ways can be tested on one kernel.  Returns
 * 1 or 0.
 */
static int
linux_probe_kids_files(int proc_fd)
{
	char path[64];
	const char *force = getenv("PHOCUS_LINUX_SCAN");

	if (force != NULL && strcmp(force, "1") == 0)
		return 0;
	snprintf(path, sizeof path, "%ld/task/%ld/children", (long)getpid(),
	    (long)gettid());
	return faccessat(proc_fd, path, R_OK, 0) == 0;
}

/*
 * Opens /proc and reads the facts every module needs, once.  The descriptor
 * budget is half the soft RLIMIT_NOFILE: the other half stays for the
 * recorder (trace file, pipes).  Returns 0, or -errno when /proc is missing.
 */
int
linux_setup(void)
{
	struct rlimit rl;
	rlim_t budget = LINUX_FD_BUDGET_MAX;
	long ps;
	int fd;

	if (linux_core.ready)
		return 0;
	fd = open("/proc", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	ps = sysconf(_SC_PAGESIZE);
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
		budget = rl.rlim_cur / 2;
	if (budget < LINUX_FD_BUDGET_MIN)
		budget = LINUX_FD_BUDGET_MIN;
	if (budget > LINUX_FD_BUDGET_MAX)
		budget = LINUX_FD_BUDGET_MAX;
	linux_core.proc_fd = fd;
	linux_core.page_size = ps > 0 ? (uint64_t)ps : 4096;
	linux_core.fd_budget = (unsigned)budget;
	linux_core.kids_files = linux_probe_kids_files(fd);
	linux_core.ready = 1;
	return 0;
}

/* Closes /proc; the other modules have released their descriptors first. */
void
linux_util_fini(void)
{
	if (linux_core.proc_fd >= 0)
		close(linux_core.proc_fd);
	linux_core.proc_fd = -1;
	linux_core.ready = 0;
}

/* CLOCK_BOOTTIME in ns (CLOCK_MONOTONIC where the kernel lacks it). */
uint64_t
linux_now_ns(void)
{
	struct timespec ts;

	if (clock_gettime(CLOCK_BOOTTIME, &ts) != 0 &&
	    clock_gettime(CLOCK_MONOTONIC, &ts) != 0)
		return 0;
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* --------------------------------------------------------- descriptors */

/* Tells whether n more descriptors may be kept open (1) or not (0). */
int
linux_fd_room(unsigned n)
{
	return linux_core.fd_held + n <= linux_core.fd_budget;
}

/*
 * Opens path relative to dirfd read-only and close-on-exec, and counts it in
 * linux_core.fd_held (callers check the budget before keeping one).  Returns
 * the descriptor or -errno.
 */
int
linux_fd_open(int dirfd, const char *path, int flags)
{
	int fd;

	do
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC | flags);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	linux_core.fd_held++;
	return fd;
}

/* Closes a descriptor from linux_fd_open() if *fd >= 0 and sets it to -1. */
void
linux_fd_close(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		if (linux_core.fd_held > 0)
			linux_core.fd_held--;
	}
	*fd = -1;
}

/* ------------------------------------------------------------- reading */

/*
 * Reads up to cap - 1 bytes of fd from offset 0 and NUL-terminates them.
 * One pread: /proc files that fit in cap come whole.  Returns the length or
 * -errno (-ESRCH once the process behind a /proc/PID file is gone).
 */
int
linux_read_fd(int fd, char *buf, size_t cap)
{
	ssize_t n;

	if (cap == 0)
		return -EINVAL;
	do
		n = pread(fd, buf, cap - 1, 0);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return (int)n;
}

/*
 * Reads all of a /proc seq_file fd from offset 0 into *buf (malloc'd, grown
 * as needed up to max bytes, *cap its size), NUL-terminated.  A read shorter
 * than 1 KiB that left room ends the file: seq_file fills a whole page
 * (>= 4 KiB) before it returns short, so the usual case takes one pread.
 * Returns the length, -EFBIG past max, -ENOMEM, or -errno.
 */
int
linux_read_grow(int fd, char **buf, size_t *cap, size_t max)
{
	size_t len = 0, asked;
	ssize_t n;
	char *nb;

	for (;;) {
		if (*cap - len < 2 || *buf == NULL) {
			size_t ncap = *cap ? *cap * 2 : 4096;

			if (ncap > max)
				return -EFBIG;
			if ((nb = realloc(*buf, ncap)) == NULL)
				return -ENOMEM;
			*buf = nb;
			*cap = ncap;
		}
		asked = *cap - len - 1;
		n = pread(fd, *buf + len, asked, (off_t)len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		len += (size_t)n;
		if (n < 1024 && (size_t)n < asked)
			break;
	}
	(*buf)[len] = '\0';
	return len > INT_MAX ? -EFBIG : (int)len;
}

/*
 * Opens path relative to dirfd, reads it like linux_read_fd() and closes it.
 * Returns the length or -errno (-ENOENT: no such process or file).
 */
int
linux_read_path(int dirfd, const char *path, char *buf, size_t cap)
{
	int fd, n;

	do
		fd = openat(dirfd, path, O_RDONLY | O_CLOEXEC);
	while (fd < 0 && errno == EINTR);
	if (fd < 0)
		return -errno;
	n = linux_read_fd(fd, buf, cap);
	close(fd);
	return n;
}

/* ------------------------------------------------------------- parsing */

/*
 * Copies len bytes of src (fewer if they do not fit) into dst of cap bytes
 * and NUL-terminates.  Returns the number of bytes copied.
 */
size_t
linux_copy(char *dst, size_t cap, const char *src, size_t len)
{
	if (cap == 0)
		return 0;
	if (len > cap - 1)
		len = cap - 1;
	memcpy(dst, src, len);
	dst[len] = '\0';
	return len;
}

/*
 * Parses the decimal digits at *pp (at least one, none past end) into *v and
 * moves *pp past them.  Returns 0, -EINVAL (no digit) or -ERANGE.
 */
static int
linux_parse_digits(const char **pp, const char *end, uint64_t *v)
{
	const char *p = *pp;
	uint64_t x = 0;

	if (p >= end || *p < '0' || *p > '9')
		return -EINVAL;
	for (; p < end && *p >= '0' && *p <= '9'; p++) {
		unsigned d = (unsigned)(*p - '0');

		if (x > (UINT64_MAX - d) / 10)
			return -ERANGE;
		x = x * 10 + d;
	}
	*v = x;
	*pp = p;
	return 0;
}

/*
 * Skips blanks (space, tab) at *pp, then parses an unsigned decimal number
 * into *v and moves *pp past it.  Returns 0, -EINVAL or -ERANGE.
 */
int
linux_parse_u64(const char **pp, const char *end, uint64_t *v)
{
	while (*pp < end && (**pp == ' ' || **pp == '\t'))
		(*pp)++;
	return linux_parse_digits(pp, end, v);
}

/*
 * Finds the line "key: number" (blanks allowed after the colon) in the len
 * bytes at buf, as in /proc/PID/io, smaps_rollup and /proc/meminfo, and
 * stores the number in *v.  Returns 0, -ENOENT (no such line) or -EINVAL.
 */
int
linux_parse_kv(const char *buf, size_t len, const char *key, uint64_t *v)
{
	const char *p = buf, *end = buf + len, *nl;
	size_t klen = strlen(key);

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			nl = end;
		if ((size_t)(nl - p) > klen && memcmp(p, key, klen) == 0 &&
		    p[klen] == ':') {
			p += klen + 1;
			return linux_parse_u64(&p, nl, v) < 0 ? -EINVAL : 0;
		}
		p = nl + 1;
	}
	return -ENOENT;
}

/*
 * Parses one space-separated signed field of /proc/PID/stat; a negative
 * value is stored as 0 (the fields used here are counts that the kernel
 * prints as signed).  Returns 0, -EINVAL or -ERANGE.
 */
static int
linux_parse_field(const char **pp, const char *end, uint64_t *v)
{
	int neg = 0, rc;

	if (*pp >= end || **pp != ' ')
		return -EINVAL;
	(*pp)++;
	if (*pp < end && **pp == '-') {
		neg = 1;
		(*pp)++;
	}
	if ((rc = linux_parse_digits(pp, end, v)) < 0)
		return rc;
	if (neg)
		*v = 0;
	return 0;
}

/*
 * Parses fields 1-24 of a /proc/PID/stat line of len bytes into *st.  The
 * name is between the first '(' and the LAST ')' since it may contain spaces
 * and parentheses.  Returns 0, or -EINVAL when the line is not well-formed.
 */
int
linux_parse_stat(const char *buf, size_t len, struct linux_stat *st)
{
	const char *open = memchr(buf, '(', len);
	const char *close = memrchr(buf, ')', len);
	const char *p, *end = buf + len;
	uint64_t f[25];
	int i;

	if (open == NULL || close == NULL || close < open)
		return -EINVAL;
	linux_copy(st->comm, sizeof st->comm, open + 1,
	    (size_t)(close - open - 1));
	p = close + 1;
	if (end - p < 2 || p[0] != ' ')
		return -EINVAL;
	st->state = p[1];
	p += 2;
	for (i = 4; i <= 24; i++)
		if (linux_parse_field(&p, end, &f[i]) < 0)
			return -EINVAL;
	if (f[4] > INT32_MAX)
		return -EINVAL;
	st->ppid = (int32_t)f[4];
	st->utime = f[14];
	st->stime = f[15];
	st->cutime = f[16];
	st->cstime = f[17];
	st->threads = f[20];
	st->start = f[22];
	st->rss_pages = f[24];
	return 0;
}
