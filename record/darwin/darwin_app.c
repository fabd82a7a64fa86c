/*
 * darwin_app.c - macOS backend: the version of the app a process runs, from
 * its bundle's Info.plist (found and XML-parsed by rec_bundle.c, read by
 * cmn_file_read; binary plists go to CoreFoundation).  It does not look at code signatures.
 */
#include "platform.h"
#include "darwin.h"
#include "rec_bundle.h"
#include "cmn_file.h"

#include <errno.h>
#include <libproc.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/proc_info.h>
#include <CoreFoundation/CoreFoundation.h>


/*
 * Copies dict[key] into buf when it is a non-empty CFString.  Returns 0,
 * -ENOENT (absent, not a string, empty), or -ERANGE (does not fit).
 */
static int
darwin_cf_dict_string(CFDictionaryRef dict, CFStringRef key, char *buf,
    size_t len)
{
	CFTypeRef v = CFDictionaryGetValue(dict, key);	/* not owned */

	buf[0] = '\0';
	if (v == NULL || CFGetTypeID(v) != CFStringGetTypeID() ||
	    CFStringGetLength((CFStringRef)v) == 0)
		return -ENOENT;
	if (len > LONG_MAX)
		len = LONG_MAX;
	if (!CFStringGetCString((CFStringRef)v, buf, (CFIndex)len,
	    kCFStringEncodingUTF8)) {
		buf[0] = '\0';
		return -ERANGE;
	}
	return 0;
}

/*
 * The version in the property list data[0..n) (binary or XML), parsed by
 * CoreFoundation: CFBundleShortVersionString, else CFBundleVersion.
 * Returns 0, -ENOENT, -EINVAL (not a plist dictionary), -ERANGE, -ENOMEM.
 */
static int
darwin_cf_version(const char *data, size_t n, char *buf, size_t len)
{
	CFDataRef d = NULL;
	CFPropertyListRef pl = NULL;
	CFErrorRef e = NULL;
	int r;

	if (n > LONG_MAX)
		return -EFBIG;
	d = CFDataCreateWithBytesNoCopy(kCFAllocatorDefault,
	    (const UInt8 *)data, (CFIndex)n, kCFAllocatorNull);
	if (d == NULL) {
		r = -ENOMEM;
		goto out;
	}
	pl = CFPropertyListCreateWithData(kCFAllocatorDefault, d,
	    kCFPropertyListImmutable, NULL, &e);
	if (pl == NULL || CFGetTypeID(pl) != CFDictionaryGetTypeID()) {
		r = -EINVAL;
		goto out;
	}
	r = darwin_cf_dict_string((CFDictionaryRef)pl,
	    CFSTR("CFBundleShortVersionString"), buf, len);
	if (r == -ENOENT)
		r = darwin_cf_dict_string((CFDictionaryRef)pl,
		    CFSTR("CFBundleVersion"), buf, len);
out:
	if (e != NULL)
		CFRelease(e);
	if (pl != NULL)
		CFRelease(pl);
	if (d != NULL)
		CFRelease(d);
	return r;
}

/*
 * Version of the app pid runs (contract in platform.h): executable path ->
 * bundle Info.plist -> CFBundleShortVersionString (else CFBundleVersion).
 * XML plists go through rec_bundle's extractor; binary ones, and XML that
 * extractor calls malformed, through CoreFoundation.
 */
int
platform_app_version(int32_t pid, char *buf, size_t len)
{
	char exe[PROC_PIDPATHINFO_MAXSIZE];
	char plist[PROC_PIDPATHINFO_MAXSIZE + 32];
	char *data = NULL;
	size_t n = 0;
	int r;

	if (buf == NULL || len == 0 || pid < 0)
		return -EINVAL;
	buf[0] = '\0';
	errno = 0;
	if (proc_pidpath(pid, exe, sizeof(exe)) <= 0)
		return darwin_gone_or_denied(pid, errno);
	if ((r = rec_bundle_find_plist(exe, plist, sizeof(plist))) != 0)
		return r;
	r = cmn_file_read(plist, REC_BUNDLE_PLIST_MAX, CMN_FILE_REGULAR, &data, &n);
	if (r != 0)
		return r;
	if (rec_bundle_is_binary(data, n)) {
		r = darwin_cf_version(data, n, buf, len);
	} else {
		r = rec_bundle_get_xml_version(data, n, buf, len);
		if (r == -EINVAL)
			r = darwin_cf_version(data, n, buf, len);
	}
	free(data);
	return r;
}
