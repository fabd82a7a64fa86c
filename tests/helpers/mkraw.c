/*
 * mkraw.c - writes a synthetic raw photo as a DNG file, for the demo sample
 * (samples/README.md): a 16-bit Bayer (RGGB) mosaic, uncompressed, of a
 * scene of gradients, discs and fine stripes (edges to sharpen) with
 * sensor-like noise (shot and read noise, to denoise), the same bytes for
 * the same arguments on every machine (its own xorshift generator, no
 * floating-point libm calls in the pixel values).  DNG: Adobe's DNG
 * specification 1.4 (TIFF 6.0 with the CFA tags of TIFF/EP).
 *
 * usage: mkraw WIDTH HEIGHT SEED OUT.dng       (WIDTH and HEIGHT even)
 */
#include <err.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ======================= TIFF writing ======================= */

enum { T_BYTE = 1, T_ASCII = 2, T_SHORT = 3, T_LONG = 4, T_RATIONAL = 5, T_SRATIONAL = 10 };

/* One IFD entry; values that do not fit 4 bytes go to the data area. */
struct entry {
	uint16_t tag, type;
	uint32_t count;
	uint8_t val[80];		/* the value's bytes, little-endian */
};

static struct entry ents[40];
static int nents;

static void
put16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, v & 0xffff);
	put16(p + 2, v >> 16);
}

/* Size of one value of a type. */
static uint32_t
type_size(uint16_t t)
{
	return t == T_SHORT ? 2 : t == T_LONG ? 4 : t == T_RATIONAL || t == T_SRATIONAL ? 8 : 1;
}

/* Adds an entry with n values from v (32-bit numbers, or pairs for rationals). */
static struct entry *
add(uint16_t tag, uint16_t type, uint32_t n, const int32_t *v)
{
	struct entry *e = &ents[nents++];
	uint32_t k = type == T_RATIONAL || type == T_SRATIONAL ? 2 * n : n;

	e->tag = tag;
	e->type = type;
	e->count = n;
	for (uint32_t i = 0; i < k; i++) {
		if (type == T_SHORT)
			put16(e->val + 2 * i, (uint32_t)v[i]);
		else if (type == T_BYTE)
			e->val[i] = (uint8_t)v[i];
		else
			put32(e->val + 4 * i, (uint32_t)v[i]);
	}
	return e;
}

static void
add1(uint16_t tag, uint16_t type, int32_t v)
{
	add(tag, type, 1, &v);
}

static void
add_ascii(uint16_t tag, const char *s)
{
	struct entry *e = &ents[nents++];

	e->tag = tag;
	e->type = T_ASCII;
	e->count = (uint32_t)strlen(s) + 1;
	memcpy(e->val, s, e->count);
}

/* Writes the header and IFD (entries sorted by tag); the pixels follow at data_at. */
static void
write_ifd(FILE *f, uint32_t *data_at)
{
	uint8_t b[12];
	uint32_t ifd = 8, extra = ifd + 2 + 12 * (uint32_t)nents + 4, pos = extra;

	fwrite("II\x2a\x00", 1, 4, f);
	put32(b, ifd);
	fwrite(b, 1, 4, f);
	put16(b, (uint32_t)nents);
	fwrite(b, 1, 2, f);
	for (int i = 0; i < nents; i++) {
		uint32_t size = type_size(ents[i].type) * ents[i].count;
		put16(b, ents[i].tag);
		put16(b + 2, ents[i].type);
		put32(b + 4, ents[i].count);
		memset(b + 8, 0, 4);
		if (size <= 4)
			memcpy(b + 8, ents[i].val, size);
		else {
			put32(b + 8, pos);
			pos += (size + 1) & ~1u;
		}
		fwrite(b, 1, 12, f);
	}
	memset(b, 0, 4);
	fwrite(b, 1, 4, f);		/* no next IFD */
	for (int i = 0; i < nents; i++) {
		uint32_t size = type_size(ents[i].type) * ents[i].count;
		if (size > 4) {
			fwrite(ents[i].val, 1, size, f);
			if (size & 1)
				fputc(0, f);
		}
	}
	*data_at = pos;
}

/* ======================= The scene ======================= */

static uint64_t rng;

static uint32_t
rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng >> 32);
}

/* Roughly normal noise, integer, standard deviation about sd (sum of 4 uniforms). */
static int32_t
noise(int32_t sd)
{
	int64_t s = 0;

	for (int i = 0; i < 4; i++)
		s += (int64_t)(rnd() & 0xffff) - 32768;
	return (int32_t)(s * sd / 37837);	/* 4 uniforms on +-32768: sd 37837 */
}

/* Scene radiance of colour c (0 R, 1 G, 2 B) at x, y: 0 .. 40000. */
static int32_t
scene(uint32_t x, uint32_t y, uint32_t w, uint32_t h, int c, uint32_t seed)
{
	int64_t v = 4000 + (int64_t)12000 * x / w + (int64_t)8000 * y / h;
	int64_t dx, dy;

	for (uint32_t k = 0; k < 6; k++) {		/* discs, one colour each */
		uint32_t cx = (seed * 7919 + k * 104729) % w, cy = (seed * 15485863u + k * 32452843u) % h;
		uint32_t r = h / 10 + (k * seed * 31) % (h / 6);
		dx = (int64_t)x - cx;
		dy = (int64_t)y - cy;
		if (dx * dx + dy * dy < (int64_t)r * r)
			v += (int)((k + (uint32_t)c) % 3) * 9000;
	}
	if (y > h / 2 && y < h / 2 + h / 8)		/* fine stripes: detail to sharpen */
		v += ((x / (2 + seed % 3)) % 2) * 6000;
	return (int32_t)(v > 40000 ? 40000 : v);
}

int
main(int argc, char **argv)
{
	static const int32_t dim[2] = { 2, 2 }, cfa[4] = { 0, 1, 1, 2 };
	static const int32_t ver[4] = { 1, 4, 0, 0 }, back[4] = { 1, 1, 0, 0 }, planes[3] = { 0, 1, 2 };
	static const int32_t matrix[18] = {	/* XYZ -> camera: near identity, in 1/10000 */
		10000, 10000, 0, 10000, 0, 10000, 0, 10000, 10000, 10000, 0, 10000,
		0, 10000, 0, 10000, 10000, 10000 };
	static const int32_t neutral[6] = { 1, 1, 1, 1, 1, 1 };
	uint32_t w, h, seed, data_at;
	uint16_t *row;
	FILE *f;

	if (argc != 5 || (w = (uint32_t)atol(argv[1])) < 16 || (h = (uint32_t)atol(argv[2])) < 16 ||
	    w % 2 || h % 2 || w > 20000 || h > 20000)
		errx(2, "usage: mkraw WIDTH HEIGHT SEED OUT.dng   (even sizes, 16 to 20000)");
	seed = (uint32_t)atol(argv[3]);
	rng = 0x9E3779B97F4A7C15ull ^ ((uint64_t)seed << 17) ^ seed;
	if ((f = fopen(argv[4], "wb")) == NULL)
		err(1, "%s", argv[4]);
	add1(254, T_LONG, 0);				/* NewSubFileType: the main image */
	add1(256, T_LONG, (int32_t)w);
	add1(257, T_LONG, (int32_t)h);
	add1(258, T_SHORT, 16);
	add1(259, T_SHORT, 1);				/* no compression */
	add1(262, T_SHORT, 32803);			/* CFA */
	add_ascii(271, "phocus-monitor");
	add_ascii(272, "synthetic raw");
	add1(273, T_LONG, 0);				/* StripOffsets: set below */
	add1(274, T_SHORT, 1);
	add1(277, T_SHORT, 1);
	add1(278, T_LONG, (int32_t)h);
	add1(279, T_LONG, (int32_t)(w * h * 2));
	add1(284, T_SHORT, 1);
	add(33421, T_SHORT, 2, dim);			/* CFARepeatPatternDim */
	add(33422, T_BYTE, 4, cfa);			/* CFAPattern: RGGB */
	add(50706, T_BYTE, 4, ver);			/* DNGVersion 1.4 */
	add(50707, T_BYTE, 4, back);
	add_ascii(50708, "phocus-monitor synthetic raw");	/* UniqueCameraModel */
	add(50710, T_BYTE, 3, planes);			/* CFAPlaneColor */
	add1(50711, T_SHORT, 1);			/* CFALayout */
	add1(50714, T_LONG, 512);			/* BlackLevel */
	add1(50717, T_LONG, 65535);			/* WhiteLevel */
	add(50721, T_SRATIONAL, 9, matrix);		/* ColorMatrix1 */
	add(50728, T_RATIONAL, 3, neutral);		/* AsShotNeutral */
	add1(50778, T_SHORT, 21);			/* CalibrationIlluminant1: D65 */
	write_ifd(f, &data_at);
	put32(ents[8].val, data_at);			/* now that the offset is known */
	rewind(f);
	write_ifd(f, &data_at);
	if ((row = malloc(w * sizeof(*row))) == NULL)
		err(1, "memory");
	for (uint32_t y = 0; y < h; y++) {
		for (uint32_t x = 0; x < w; x++) {
			int c = (int)cfa[(y % 2) * 2 + x % 2];
			int32_t s = scene(x, y, w, h, c, seed);
			int32_t v = 512 + s + noise(60 + s / 100);	/* read + shot noise */
			row[x] = (uint16_t)(v < 0 ? 0 : v > 65535 ? 65535 : v);
		}
		for (uint32_t x = 0; x < w; x++) {	/* little-endian on any host */
			uint8_t b[2] = { (uint8_t)row[x], (uint8_t)(row[x] >> 8) };
			fwrite(b, 1, 2, f);
		}
	}
	free(row);
	if (fclose(f) != 0)
		err(1, "%s", argv[4]);
	return 0;
}
