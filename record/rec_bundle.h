/*
 * rec_bundle.h - the version of the application a process runs, shared part.
 *
 * From an executable path inside a macOS bundle (X.app/Contents/MacOS/X)
 * finds the bundle's Info.plist, reads it, and takes the version out of an
 * XML property list.  Binary property lists are recognised but not parsed
 * here: the Darwin backend hands those to CoreFoundation.  Plain C and POSIX
 * only, so it is unit-tested on any host.
 */
#ifndef REC_BUNDLE_H
#define REC_BUNDLE_H

#include <stddef.h>

enum {
	REC_BUNDLE_PLIST_MAX = 1 << 20	/* largest Info.plist we read, bytes */
};

/*
 * Writes into out the Info.plist path of the bundle whose executable is exe:
 * ".../B.ext/Contents/MacOS/name" gives ".../B.ext/Contents/Info.plist" (the
 * innermost bundle when bundles are nested; "Contents" and "MacOS" compared
 * without ASCII case; the bundle name must have an extension).  Returns 0,
 * -ENOENT when exe is not a bundle executable, -ENAMETOOLONG when out is too
 * small, or -EINVAL.
 */
int rec_bundle_find_plist(const char *exe, char *out, size_t out_len);

/* Returns 1 when data[0..len) is a binary property list ("bplist"), else 0. */
int rec_bundle_is_binary(const char *data, size_t len);

/*
 * Finds key among the keys of the top-level <dict> of the XML property list
 * xml[0..len) (keys of nested dicts do not count; the first match wins) and
 * copies its <string> value into out, the entities &amp; &lt; &gt; &quot;
 * &apos; and &#N; &#xH; decoded, CDATA and comments handled.  Returns 0;
 * -ENOENT when the document is complete and has no such key with a string
 * value; -EINVAL when it is malformed or ends before the key was found
 * (truncated); -ERANGE when the value does not fit in out.
 */
int rec_bundle_get_xml_string(const char *xml, size_t len, const char *key,
    char *out, size_t out_len);

/*
 * The version string of an XML Info.plist: CFBundleShortVersionString, or
 * when that is absent or empty, CFBundleVersion.  Returns 0, -ENOENT when
 * neither is there, or the errors of rec_bundle_get_xml_string().
 */
int rec_bundle_get_xml_version(const char *xml, size_t len, char *out,
    size_t out_len);

#endif /* REC_BUNDLE_H */
