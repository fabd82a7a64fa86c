/*
 * darwin_power.c - macOS backend: the IOReport energy counters and GPU
 * state residencies (platform_ior_*), read without root through the private
 * /usr/lib/libIOReport.dylib, which is loaded with dlopen and never linked.
 * It subscribes to the channels the shared rule picks (rec_ior_select) and
 * returns each channel's cumulative value, or each state's cumulative
 * residency, exactly as read.  No deltas and no watts here: the analyzer's.
 *
 * Sources (read, not copied): the library's install name and exported
 * symbols, the SDK's usr/lib/libIOReport.tbd (MacOSX13.3.sdk); the function
 * signatures and the channel dictionary layout, vladkens/macmon
 * crates/lib/src/platform/io_report.rs (extern block, IOReport::new,
 * cfio_copy_filtered_channels, IOReportSample) and metaspartan/mactop
 * internal/app/ioreport.m (extern block, initIOReport, samplePowerMetrics);
 * the value layout, XNU iokit/IOKit/IOReportTypes.h (IOSimpleReportValues:
 * int64 simple_values; IOStateReportValues: upticks = ticks spent in the
 * state) - so a sample's values are the drivers' running totals and a delta
 * of two samples, which is what macmon and mactop read, is their difference.
 * Everything here has been compiled for macOS, never run on a Mac.
 */
#include "platform.h"
#include "darwin.h"
#include "rec_ior.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <CoreFoundation/CoreFoundation.h>


/* The library's install name (SDK usr/lib/libIOReport.tbd). */
#define IOR_LIB "/usr/lib/libIOReport.dylib"

/* An IOReport subscription: opaque (macmon IOReportSubscriptionRef). */
typedef const struct darwin_ior_sub *IOReportSubscriptionRef;

/* The functions used, with the signatures macmon and mactop declare. */
static struct {
	void *lib;
	CFDictionaryRef (*copy_all)(uint64_t, uint64_t);
	IOReportSubscriptionRef (*subscribe)(void *, CFMutableDictionaryRef,
	    CFMutableDictionaryRef *, uint64_t, CFTypeRef);
	CFDictionaryRef (*samples)(IOReportSubscriptionRef, CFMutableDictionaryRef,
	    CFTypeRef);
	CFStringRef (*group)(CFDictionaryRef);
	CFStringRef (*subgroup)(CFDictionaryRef);
	CFStringRef (*name)(CFDictionaryRef);
	CFStringRef (*unit)(CFDictionaryRef);
	int64_t (*simple)(CFDictionaryRef, int32_t);
	int32_t (*state_count)(CFDictionaryRef);
	CFStringRef (*state_name)(CFDictionaryRef, int32_t);
	int64_t (*residency)(CFDictionaryRef, int32_t);
} ior;

static IOReportSubscriptionRef ior_sub;		/* the subscription */
static CFMutableDictionaryRef ior_chans;	/* the channels subscribed */
static struct plat_ior_channel ior_tab[PLAT_IOR_MAX];	/* what is recorded */
static CFStringRef ior_key[PLAT_IOR_MAX][3];	/* group, subgroup, name (retained) */
static size_t ior_off[PLAT_IOR_MAX];		/* first value of each channel */
static size_t ior_n;


/* ---- loading ---- */

/* Looks up one symbol into *fp (a function pointer).  0 or -1. */
static int
darwin_ior_sym(const char *name, void *fp)
{
	void *p = dlsym(ior.lib, name);

	if (p == NULL)
		return -1;
	memcpy(fp, &p, sizeof(p));
	return 0;
}

/* dlopen()s the library and finds every function.  0 or -errno, why. */
static int
darwin_ior_load(char *why, size_t wl)
{
	const struct { const char *name; void *fp; } syms[] = {
		{ "IOReportCopyAllChannels", &ior.copy_all },
		{ "IOReportCreateSubscription", &ior.subscribe },
		{ "IOReportCreateSamples", &ior.samples },
		{ "IOReportChannelGetGroup", &ior.group },
		{ "IOReportChannelGetSubGroup", &ior.subgroup },
		{ "IOReportChannelGetChannelName", &ior.name },
		{ "IOReportChannelGetUnitLabel", &ior.unit },
		{ "IOReportSimpleGetIntegerValue", &ior.simple },
		{ "IOReportStateGetCount", &ior.state_count },
		{ "IOReportStateGetNameForIndex", &ior.state_name },
		{ "IOReportStateGetResidency", &ior.residency },
	};
	const char *e;

	ior.lib = dlopen(IOR_LIB, RTLD_NOW | RTLD_LOCAL);
	if (ior.lib == NULL) {
		e = dlerror();
		snprintf(why, wl, "cannot load %s: %s", IOR_LIB, e ? e : "unknown error");
		return -ENOENT;
	}
	for (size_t i = 0; i < sizeof(syms) / sizeof(syms[0]); i++)
		if (darwin_ior_sym(syms[i].name, syms[i].fp) != 0) {
			snprintf(why, wl, "%s has no %s", IOR_LIB, syms[i].name);
			return -ENOSYS;
		}
	return 0;
}


/* ---- strings and dictionaries ---- */

/* s as UTF-8 into buf (cut at a character boundary to fit; NULL -> ""). */
static void
darwin_ior_cstr(CFStringRef s, char *buf, size_t len)
{
	char tmp[512];
	size_t n;

	buf[0] = '\0';
	if (s == NULL || !CFStringGetCString(s, tmp, sizeof(tmp), kCFStringEncodingUTF8))
		return;
	n = strlen(tmp);
	if (n >= len) {
		n = len - 1;
		while (n > 0 && ((unsigned char)tmp[n] & 0xc0) == 0x80)
			n--;	/* do not split a UTF-8 sequence */
	}
	memcpy(buf, tmp, n);
	buf[n] = '\0';
}

/* The "IOReportChannels" array of a channel list or a sample, or NULL. */
static CFArrayRef
darwin_ior_items(CFDictionaryRef d)
{
	CFTypeRef a;

	if (d == NULL)
		return NULL;
	a = CFDictionaryGetValue(d, CFSTR("IOReportChannels"));
	return a != NULL && CFGetTypeID(a) == CFArrayGetTypeID() ? (CFArrayRef)a : NULL;
}

/* Item i of a channel array if it is a dictionary, else NULL. */
static CFDictionaryRef
darwin_ior_item(CFArrayRef a, CFIndex i)
{
	CFTypeRef v = CFArrayGetValueAtIndex(a, i);

	return v != NULL && CFGetTypeID(v) == CFDictionaryGetTypeID() ?
	    (CFDictionaryRef)v : NULL;
}

/* Whether a channel is recorded (rec_ior_select on its names). */
static int
darwin_ior_wanted(CFDictionaryRef item)
{
	char g[256], sg[256], n[256];
	uint32_t kind;

	darwin_ior_cstr(ior.group(item), g, sizeof(g));
	darwin_ior_cstr(ior.subgroup(item), sg, sizeof(sg));
	darwin_ior_cstr(ior.name(item), n, sizeof(n));
	return rec_ior_select(g, sg, n, &kind) >= 0;
}


/* ---- subscribing ---- */

/*
 * The channels to subscribe to: a copy of the list of all channels whose
 * "IOReportChannels" array holds only the ones recorded (the way macmon's
 * cfio_copy_filtered_channels builds its subscription).  NULL, why.
 */
static CFMutableDictionaryRef
darwin_ior_select(char *why, size_t wl, int *err)
{
	CFDictionaryRef all = ior.copy_all(0, 0);
	CFArrayRef items = darwin_ior_items(all);
	CFMutableArrayRef keep;
	CFMutableDictionaryRef chans = NULL;

	*err = -EIO;
	if (items == NULL) {
		snprintf(why, wl, "IOReport lists no channels");
		goto out;
	}
	keep = CFArrayCreateMutable(kCFAllocatorDefault, 0, &kCFTypeArrayCallBacks);
	if (keep == NULL)
		goto out;
	for (CFIndex i = 0; i < CFArrayGetCount(items); i++) {
		CFDictionaryRef it = darwin_ior_item(items, i);
		if (it != NULL && darwin_ior_wanted(it))
			CFArrayAppendValue(keep, it);
	}
	if (CFArrayGetCount(keep) == 0) {
		snprintf(why, wl, "IOReport has no Energy Model or GPU state channels "
		    "(not Apple silicon?)");
		*err = -ENODEV;
	} else if ((chans = CFDictionaryCreateMutableCopy(kCFAllocatorDefault, 0,
	    all)) != NULL)
		CFDictionarySetValue(chans, CFSTR("IOReportChannels"), keep);
	CFRelease(keep);
out:
	if (all != NULL)
		CFRelease(all);
	return chans;
}

/* Describes channel item as table entry i.  0, or -1 to leave it out. */
static int
darwin_ior_describe(CFDictionaryRef item, size_t i)
{
	struct plat_ior_channel *c = &ior_tab[i];
	int32_t ns;

	memset(c, 0, sizeof(*c));
	darwin_ior_cstr(ior.group(item), c->group, sizeof(c->group));
	darwin_ior_cstr(ior.subgroup(item), c->subgroup, sizeof(c->subgroup));
	darwin_ior_cstr(ior.name(item), c->name, sizeof(c->name));
	darwin_ior_cstr(ior.unit(item), c->unit, sizeof(c->unit));
	if (rec_ior_select(c->group, c->subgroup, c->name, &c->kind) < 0)
		return -1;
	if (c->kind == PLAT_IOR_STATE) {
		ns = ior.state_count(item);
		if (ns < 1 || ns > PLAT_IOR_STATES)
			return -1;
		c->nstates = (uint32_t)ns;
		for (int32_t k = 0; k < ns; k++)
			darwin_ior_cstr(ior.state_name(item, k), c->states[k],
			    sizeof(c->states[k]));
	}
	ior_key[i][0] = ior.group(item);
	ior_key[i][1] = ior.subgroup(item);
	ior_key[i][2] = ior.name(item);
	for (int k = 0; k < 3; k++)
		if (ior_key[i][k] != NULL)
			CFRetain(ior_key[i][k]);
	return 0;
}

/*
 * The table, from a first reading: the names, unit labels and state names
 * as the samples carry them (macmon and mactop read them from samples too).
 * Returns the number of channels, or -errno with why.
 */
static int
darwin_ior_table(char *why, size_t wl)
{
	CFDictionaryRef s = ior.samples(ior_sub, ior_chans, NULL);
	CFArrayRef items = darwin_ior_items(s);
	size_t off = 0;

	ior_n = 0;
	if (items == NULL) {
		snprintf(why, wl, "an IOReport sample holds no channels");
		if (s != NULL)
			CFRelease(s);
		return -EIO;
	}
	for (CFIndex i = 0; i < CFArrayGetCount(items) && ior_n < PLAT_IOR_MAX; i++) {
		CFDictionaryRef it = darwin_ior_item(items, i);
		size_t k;
		if (it == NULL || darwin_ior_describe(it, ior_n) != 0)
			continue;
		k = ior_tab[ior_n].kind == PLAT_IOR_STATE ? ior_tab[ior_n].nstates : 1;
		if (off + k > PLAT_IOR_VALUES)
			break;
		ior_off[ior_n++] = off;
		off += k;
	}
	CFRelease(s);
	if (ior_n == 0) {
		snprintf(why, wl, "no usable channel in an IOReport sample");
		return -ENODEV;
	}
	return (int)ior_n;
}

int
platform_ior_open(const struct plat_ior_channel **ch, char *why, size_t whylen)
{
	CFMutableDictionaryRef out = NULL;
	int rc;

	*ch = NULL;
	if ((rc = darwin_ior_load(why, whylen)) != 0)
		goto fail;
	if ((ior_chans = darwin_ior_select(why, whylen, &rc)) == NULL)
		goto fail;
	/* the subscribed-channels dictionary it returns is not released:
	 * neither macmon nor mactop does, and its ownership is undocumented */
	ior_sub = ior.subscribe(NULL, ior_chans, &out, 0, NULL);
	if (ior_sub == NULL) {
		snprintf(why, whylen, "IOReport refused the subscription");
		rc = -EIO;
		goto fail;
	}
	if ((rc = darwin_ior_table(why, whylen)) < 0)
		goto fail;
	*ch = ior_tab;
	return rc;
fail:
	platform_ior_close();
	return rc;
}


/* ---- reading ---- */

/* True if item is the channel of table entry i. */
static int
darwin_ior_is(CFDictionaryRef item, size_t i)
{
	CFStringRef k[3] = { ior.group(item), ior.subgroup(item), ior.name(item) };

	for (int j = 0; j < 3; j++) {
		if ((k[j] == NULL) != (ior_key[i][j] == NULL))
			return 0;
		if (k[j] != NULL && !CFEqual(k[j], ior_key[i][j]))
			return 0;
	}
	return 1;
}

/* The table entry of item: where it was last time (at), else searched. */
static long
darwin_ior_find(CFDictionaryRef item, size_t at)
{
	if (at < ior_n && darwin_ior_is(item, at))
		return (long)at;
	for (size_t i = 0; i < ior_n; i++)
		if (darwin_ior_is(item, i))
			return (long)i;
	return -1;
}

/* Stores the values of one channel of a sample; 1 if stored, else 0. */
static int
darwin_ior_values(CFDictionaryRef item, size_t i, uint64_t *v, size_t nv)
{
	const struct plat_ior_channel *c = &ior_tab[i];
	size_t o = ior_off[i];

	if (c->kind == PLAT_IOR_SIMPLE) {
		if (o >= nv)
			return 0;
		v[o] = (uint64_t)ior.simple(item, 0);
		return 1;
	}
	if (ior.state_count(item) != (int32_t)c->nstates || o + c->nstates > nv)
		return 0;	/* its states changed: not comparable */
	for (uint32_t k = 0; k < c->nstates; k++)
		v[o + k] = (uint64_t)ior.residency(item, (int32_t)k);
	return 1;
}

int
platform_ior_read(uint64_t *v, size_t nv, uint8_t *have)
{
	CFDictionaryRef s;
	CFArrayRef items;

	if (ior_sub == NULL)
		return -ENOTSUP;
	memset(have, 0, ior_n);
	s = ior.samples(ior_sub, ior_chans, NULL);
	if ((items = darwin_ior_items(s)) == NULL) {
		if (s != NULL)
			CFRelease(s);
		return -EIO;
	}
	for (CFIndex j = 0; j < CFArrayGetCount(items); j++) {
		CFDictionaryRef it = darwin_ior_item(items, j);
		long i = it != NULL ? darwin_ior_find(it, (size_t)j) : -1;
		if (i >= 0)
			have[i] = (uint8_t)darwin_ior_values(it, (size_t)i, v, nv);
	}
	CFRelease(s);
	return 0;
}

void
platform_ior_close(void)
{
	for (size_t i = 0; i < PLAT_IOR_MAX; i++)
		for (int k = 0; k < 3; k++)
			if (ior_key[i][k] != NULL) {
				CFRelease(ior_key[i][k]);
				ior_key[i][k] = NULL;
			}
	if (ior_sub != NULL)
		CFRelease((CFTypeRef)ior_sub);
	if (ior_chans != NULL)
		CFRelease(ior_chans);
	if (ior.lib != NULL)
		dlclose(ior.lib);
	memset(&ior, 0, sizeof(ior));
	ior_sub = NULL;
	ior_chans = NULL;
	ior_n = 0;
}
