/*
 * test_cmn_file.c - unit tests of common/cmn_file.c, the whole-file reader,
 * on files it writes in a scratch folder: a file read whole and
 * NUL-terminated, the size cap at and around its edge, the error values, a
 * pipe (no size known) with and without CMN_FILE_REGULAR, and a procfs file
 * whose st_size (0) is not its length.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cmn_file.h"
#include "tap.h"

static char tmp_dir[] = "/tmp/test_cmn_file.XXXXXX";

/* dir + name in a static buffer. */
static const char *
path_in(const char *dir, const char *name)
{
	static char p[1200];

	snprintf(p, sizeof(p), "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
	    name);
	return p;
}

/* Writes n bytes of 'a'..'z' repeated to tmp_dir/name; returns its path. */
static const char *
write_file(const char *name, size_t n)
{
	const char *p = path_in(tmp_dir, name);
	FILE *f = fopen(p, "wb");

	for (size_t i = 0; f != NULL && i < n; i++)
		fputc('a' + (int)(i % 26), f);
	if (f == NULL || fclose(f) != 0)
		printf("# cannot write %s\n", p);
	return p;
}

/* A file whole, NUL after it; the errors for what cannot be read. */
static void
test_read(void)
{
	char *d = NULL;
	size_t n = 0;
	const char *p = path_in(tmp_dir, "text");
	FILE *f = fopen(p, "wb");

	if (f == NULL || fputs("<?xml version=\"1.0\"?>\n<plist/>\n", f) < 0 ||
	    fclose(f) != 0)
		printf("# cannot write %s\n", p);
	CHECK_I64(cmn_file_read(p, 1 << 20, CMN_FILE_REGULAR, &d, &n), 0, "read a file");
	CHECK_U64(n, 31, "read: whole file (31 bytes)");
	CHECK(d != NULL && strncmp(d, "<?xml", 5) == 0, "read: starts <?xml");
	CHECK(d != NULL && n > 0 && d[n - 1] == '\n' && d[n] == '\0',
	    "read: ends with a newline, NUL after");
	free(d);
	d = (char *)1;
	n = 7;
	CHECK_I64(cmn_file_read(path_in(tmp_dir, "no-such"), 1 << 20, 0, &d, &n),
	    -ENOENT, "missing file: -ENOENT");
	CHECK(d == NULL && n == 0, "missing file: outputs cleared");
	CHECK_I64(cmn_file_read(tmp_dir, 1 << 20, CMN_FILE_REGULAR, &d, &n), -EINVAL,
	    "a directory, regular files asked: -EINVAL");
	CHECK_I64(cmn_file_read(tmp_dir, 1 << 20, 0, &d, &n), -EISDIR,
	    "a directory: read fails with -EISDIR");
	CHECK_I64(cmn_file_read(NULL, 10, 0, &d, &n), -EINVAL, "NULL path");
	CHECK_I64(cmn_file_read(p, SIZE_MAX, 0, &d, &n), -EINVAL, "max SIZE_MAX");
}

/* The cap: files of max - 1, max and max + 1 bytes; an empty file. */
static void
test_cap(void)
{
	char *d = NULL;
	size_t n = 0;
	const char *p;

	p = write_file("100", 100);
	CHECK_I64(cmn_file_read(p, 101, 0, &d, &n), 0, "100 bytes, max 101");
	CHECK_U64(n, 100, "100 bytes read");
	CHECK(d != NULL && d[0] == 'a' && d[99] == 'v' && d[100] == '\0',
	    "100 bytes: content, NUL after");
	free(d);
	CHECK_I64(cmn_file_read(p, 100, 0, &d, &n), 0, "100 bytes, max 100");
	CHECK_U64(n, 100, "exactly max: whole");
	free(d);
	CHECK_I64(cmn_file_read(p, 99, 0, &d, &n), -EFBIG, "100 bytes, max 99");
	CHECK(d == NULL && n == 0, "over max: outputs cleared");
	p = write_file("empty", 0);
	CHECK_I64(cmn_file_read(p, 0, 0, &d, &n), 0, "empty file, max 0");
	CHECK(n == 0 && d != NULL && d[0] == '\0', "empty: a buffer holding NUL");
	free(d);
	p = write_file("big", 300000);		/* beyond the first 64 KiB guess */
	CHECK_I64(cmn_file_read(p, CMN_FILE_NO_CAP, 0, &d, &n), 0, "300000 bytes");
	CHECK_U64(n, 300000, "300000 bytes read");
	CHECK(d != NULL && d[299999] == 'a' + 299999 % 26 && d[300000] == '\0',
	    "300000 bytes: last byte, NUL after");
	free(d);
}

/*
 * Reads a pipe that gets total bytes from a child (no size known, so the
 * buffer grows as it reads), through /dev/fd/N.
 */
static int
read_pipe(size_t total, size_t max, unsigned flags, char **d, size_t *n)
{
	char path[32];
	int fd[2], rc, status;
	pid_t pid;

	if (pipe(fd) != 0)
		return 1000;
	if ((pid = fork()) == 0) {
		close(fd[0]);
		for (size_t i = 0; i < total; i++)
			if (write(fd[1], "x", 1) != 1)
				_exit(1);
		_exit(0);
	}
	close(fd[1]);
	snprintf(path, sizeof(path), "/dev/fd/%d", fd[0]);
	rc = cmn_file_read(path, max, flags, d, n);
	close(fd[0]);
	waitpid(pid, &status, 0);
	return rc;
}

static void
test_pipe(void)
{
	struct stat st;
	char *d = NULL;
	size_t n = 0;

	if (stat("/dev/fd/0", &st) != 0) {
		printf("# 6 skipped (no /dev/fd: pipe reads)\n");
		return;
	}
	CHECK_I64(read_pipe(70000, CMN_FILE_NO_CAP, 0, &d, &n), 0,
	    "a pipe of 70000 bytes");
	CHECK(n == 70000 && d != NULL && d[69999] == 'x' && d[70000] == '\0',
	    "pipe: whole, NUL after");
	free(d);
	CHECK_I64(read_pipe(500, 500, 0, &d, &n), 0, "a pipe of exactly max bytes");
	CHECK_U64(n, 500, "pipe of max bytes: whole");
	free(d);
	CHECK_I64(read_pipe(501, 500, 0, &d, &n), -EFBIG, "a pipe one byte over max");
	CHECK_I64(read_pipe(10, 500, CMN_FILE_REGULAR, &d, &n), -EINVAL,
	    "a pipe, regular files asked: -EINVAL");
}

/* A file longer than its st_size says: Linux's procfs (st_size 0). */
static void
test_growing(void)
{
	const char *f = "/proc/self/status";
	struct stat st;
	char *d = NULL;
	size_t n = 0;

	if (stat(f, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size != 0) {
		printf("# 3 skipped (no procfs: st_size 0 but content)\n");
		return;
	}
	CHECK_I64(cmn_file_read(f, 1 << 16, CMN_FILE_REGULAR, &d, &n), 0,
	    "st_size 0, content: read");
	CHECK(n > 5 && d != NULL && strncmp(d, "Name:", 5) == 0 && d[n] == '\0',
	    "st_size 0, content: whole, NUL after");
	free(d);
	CHECK_I64(cmn_file_read(f, 10, 0, &d, &n), -EFBIG,
	    "st_size 0, content over max");
}

int
main(void)
{
	if (mkdtemp(tmp_dir) == NULL) {
		perror("mkdtemp");
		return 1;
	}
	test_read();
	test_cap();
	test_pipe();
	test_growing();
	unlink(path_in(tmp_dir, "text"));
	unlink(path_in(tmp_dir, "100"));
	unlink(path_in(tmp_dir, "empty"));
	unlink(path_in(tmp_dir, "big"));
	rmdir(tmp_dir);
	return tap_done();
}
