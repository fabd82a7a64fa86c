/*
 * linux_app.c - the version of the application a process runs
 * (platform_app_version): Linux programs carry no app-bundle version.
 */
#include "linux.h"

#include <errno.h>

/* Linux programs carry no app-bundle version.  Returns -ENOENT. */
int
platform_app_version(int32_t pid, char *buf, size_t len)
{
	(void)pid;
	if (buf != NULL && len > 0)
		buf[0] = '\0';
	return -ENOENT;
}
