/*
 * darwin_gpu.c - macOS backend: the Apple GPU (AGXAccelerator) in the
 * IORegistry, its core count and the accumulated GPU time of each of its
 * user clients, readable without root.  Parsing the creator string is shared
 * code (rec_gpu.c); turning times into rates is the analyzer's.
 */
#include "platform.h"
#include "darwin.h"
#include "rec_gpu.h"

#include <errno.h>
#include <limits.h>
#include <CoreFoundation/CoreFoundation.h>
#include <IOKit/IOKitLib.h>


enum {
	DARWIN_GPU_MAX = 4		/* AGXAccelerator services we keep */
};

static io_service_t darwin_gpu_svc[DARWIN_GPU_MAX];	/* darwin_gpu_init() */
static size_t darwin_gpu_n;				/* entries used */


/* ---- the GPU service ---- */

/*
 * "gpu-core-count" of service s (a CFNumber; taken from 4 little-endian
 * bytes should it be CFData), or -1 when absent or implausible.  Some Macs
 * (some Mac mini models) do not publish it.
 */
static int32_t
darwin_gpu_cores_of(io_service_t s)
{
	CFTypeRef v;
	int64_t n = -1;
	UInt8 b[4];

	v = IORegistryEntryCreateCFProperty(s, CFSTR("gpu-core-count"),
	    kCFAllocatorDefault, 0);
	if (v == NULL)
		return -1;
	if (CFGetTypeID(v) == CFNumberGetTypeID()) {
		if (!CFNumberGetValue((CFNumberRef)v, kCFNumberSInt64Type, &n))
			n = -1;
	} else if (CFGetTypeID(v) == CFDataGetTypeID() &&
	    CFDataGetLength((CFDataRef)v) == 4) {
		CFDataGetBytes((CFDataRef)v, CFRangeMake(0, 4), b);
		n = (int64_t)b[0] | (int64_t)b[1] << 8 | (int64_t)b[2] << 16 |
		    (int64_t)b[3] << 24;
	}
	CFRelease(v);
	return (n >= 1 && n <= 1024) ? (int32_t)n : -1;
}

/* Keeps the AGXAccelerator services; returns the core count (darwin.h). */
int32_t
darwin_gpu_init(void)
{
	CFMutableDictionaryRef match;
	io_iterator_t it = IO_OBJECT_NULL;
	io_service_t s;
	int32_t cores = -1;
	size_t i;

	darwin_gpu_fini();
	if ((match = IOServiceMatching("AGXAccelerator")) == NULL)
		return -1;
	/* IOServiceGetMatchingServices consumes one reference of match. */
	if (IOServiceGetMatchingServices(kIOMainPortDefault, match, &it) !=
	    KERN_SUCCESS)
		return -1;
	while ((s = IOIteratorNext(it)) != IO_OBJECT_NULL) {
		if (darwin_gpu_n < DARWIN_GPU_MAX)
			darwin_gpu_svc[darwin_gpu_n++] = s;
		else
			IOObjectRelease(s);
	}
	IOObjectRelease(it);
	for (i = 0; i < darwin_gpu_n && cores < 0; i++)
		cores = darwin_gpu_cores_of(darwin_gpu_svc[i]);
	return cores;
}

/* Releases the kept services (darwin.h). */
void
darwin_gpu_fini(void)
{
	size_t i;

	for (i = 0; i < darwin_gpu_n; i++)
		IOObjectRelease(darwin_gpu_svc[i]);
	darwin_gpu_n = 0;
}


/* ---- user clients ---- */

/*
 * Copies CFString v as UTF-8 into buf (len > 0), as much as fits, '?' for
 * what cannot be converted.  Returns the bytes written, or -1 when v is not
 * a string.
 */
static long
darwin_cf_utf8(CFTypeRef v, char *buf, size_t len)
{
	CFIndex used = 0;

	if (CFGetTypeID(v) != CFStringGetTypeID())
		return -1;
	CFStringGetBytes((CFStringRef)v,
	    CFRangeMake(0, CFStringGetLength((CFStringRef)v)),
	    kCFStringEncodingUTF8, '?', false, (UInt8 *)buf,
	    (CFIndex)len - 1, &used);
	buf[used] = '\0';
	return (long)used;
}

/* Adds v to *sum, stopping at UINT64_MAX. */
static void
darwin_add_sat(uint64_t *sum, uint64_t v)
{
	*sum = (*sum > UINT64_MAX - v) ? UINT64_MAX : *sum + v;
}

/*
 * Sum of accumulatedGPUTime (ns) over the client's AppUsage array (one
 * dictionary per API the process used); 0 when it has none yet.
 */
static uint64_t
darwin_gpu_app_usage(io_registry_entry_t e)
{
	CFTypeRef v, d, t;
	CFIndex i, n;
	int64_t ns;
	uint64_t sum = 0;

	v = IORegistryEntryCreateCFProperty(e, CFSTR("AppUsage"),
	    kCFAllocatorDefault, 0);
	if (v == NULL)
		return 0;
	if (CFGetTypeID(v) == CFArrayGetTypeID()) {
		n = CFArrayGetCount((CFArrayRef)v);
		for (i = 0; i < n; i++) {
			d = CFArrayGetValueAtIndex((CFArrayRef)v, i);
			if (d == NULL ||
			    CFGetTypeID(d) != CFDictionaryGetTypeID())
				continue;
			t = CFDictionaryGetValue((CFDictionaryRef)d,
			    CFSTR("accumulatedGPUTime"));
			if (t == NULL ||
			    CFGetTypeID(t) != CFNumberGetTypeID() ||
			    !CFNumberGetValue((CFNumberRef)t,
			    kCFNumberSInt64Type, &ns) || ns < 0)
				continue;
			darwin_add_sat(&sum, (uint64_t)ns);
		}
	}
	CFRelease(v);		/* the Get-rule values above die with it */
	return sum;
}

/*
 * Reads one child of the GPU service: its owner from IOUserClientCreator
 * ("pid N, name", as nvtop src/extract_gpuinfo_apple.m reads it), and, when
 * rec_gpu_wanted() wants that pid, its registry entry id and GPU time.
 * Returns 0, 1 when the owner is not wanted (nothing else was read), or -1
 * when the child is not a user client with a parsable creator or its id
 * cannot be read.
 */
static int
darwin_gpu_client(io_registry_entry_t e, const int32_t *pids, size_t npids,
    struct plat_gpu_client *out)
{
	char s[256];
	CFTypeRef v;
	long n;
	int32_t pid;
	uint64_t id;

	v = IORegistryEntryCreateCFProperty(e, CFSTR("IOUserClientCreator"),
	    kCFAllocatorDefault, 0);
	if (v == NULL)
		return -1;
	n = darwin_cf_utf8(v, s, sizeof(s));
	CFRelease(v);
	if (n < 0 || rec_gpu_parse_creator(s, (size_t)n, &pid, NULL, 0) != 0)
		return -1;
	if (!rec_gpu_wanted(pids, npids, pid))
		return 1;	/* filtered before the costly AppUsage read */
	/* SDK IOKit/IOKitLib.h: an id "global to all tasks", valid until reboot;
	 * XNU iokit/Kernel/IORegistryEntry.cpp mints it from ++gIORegistryLastID,
	 * a 64-bit counter, so a closed client's id is never given to another. */
	if (IORegistryEntryGetRegistryEntryID(e, &id) != KERN_SUCCESS)
		return -1;
	out->pid = pid;
	out->id = id;
	out->gpu_ns = darwin_gpu_app_usage(e);
	return 0;
}

/*
 * Walks the children of gpu in the service plane (as nvtop does), storing
 * the wanted clients at c[*n..cap) and counting them all in *n.  When the
 * registry changed during the walk (the iterator went invalid: clients come
 * and go) the walk is redone once from the start.  Returns 0 or -EIO.
 */
static int
darwin_gpu_walk(io_service_t gpu, const int32_t *pids, size_t npids,
    struct plat_gpu_client *c, size_t cap, size_t *n)
{
	io_iterator_t it = IO_OBJECT_NULL;
	io_registry_entry_t e;
	struct plat_gpu_client one;
	size_t start = *n;
	int pass;

	if (IORegistryEntryGetChildIterator(gpu, kIOServicePlane, &it) !=
	    KERN_SUCCESS)
		return -EIO;
	for (pass = 0; pass < 2; pass++) {
		*n = start;
		while ((e = IOIteratorNext(it)) != IO_OBJECT_NULL) {
			if (darwin_gpu_client(e, pids, npids, &one) == 0) {
				if (*n < cap)
					c[*n] = one;
				(*n)++;
			}
			IOObjectRelease(e);
		}
		if (IOIteratorIsValid(it))
			break;
		IOIteratorReset(it);
	}
	IOObjectRelease(it);
	return 0;
}

/*
 * The clients of the listed pids with their registry ids (contract in
 * platform.h).  -ENOTSUP on a Mac without an Apple GPU (Intel).
 */
int
platform_gpu_clients_of(const int32_t *pids, size_t npids,
    struct plat_gpu_client *c, size_t cap)
{
	size_t i, n = 0;
	int r;

	if ((c == NULL && cap > 0) || (pids == NULL && npids > 0))
		return -EINVAL;
	if (darwin_gpu_n == 0)
		return -ENOTSUP;
	for (i = 0; i < darwin_gpu_n; i++)
		if ((r = darwin_gpu_walk(darwin_gpu_svc[i], pids, npids, c, cap,
		    &n)) != 0)
			return r;
	return n > INT_MAX ? INT_MAX : (int)n;
}

/*
 * Every client with its accumulated GPU time (contract in platform.h).  0
 * clients on a Mac without an Apple GPU (Intel).
 */
int
platform_gpu_clients(struct plat_gpu_client *c, size_t cap)
{
	int r = platform_gpu_clients_of(NULL, 0, c, cap);

	return r == -ENOTSUP ? 0 : r;
}
