/*
 * png-probe.c - reads the pixels of a PNG for the figure tests: its size,
 * the share of the most common colour that is not white, and the ink
 * (pixels that are not white) inside a rectangle.  It decodes what gnuplot's
 * pngcairo writes and a little more: 8-bit greyscale, RGB, palette, grey +
 * alpha and RGBA, not interlaced (anything else is refused, never guessed).
 * The inflater follows RFC 1950/1951 and the filters the PNG specification
 * (section 9); it is a test tool, so it favours clarity over speed.
 *
 * usage: png-probe FILE size          -> "WIDTHxHEIGHT"
 *        png-probe FILE top [grey]    -> "#rrggbb PERCENT": the most common
 *                                        non-white colour (with grey: grey
 *                                        level, r = g = b, the colour of
 *                                        text) and its share of all pixels
 *                                        ("none 0" if there is none)
 *        png-probe FILE colors N      -> the N most common colours, one a line
 *        png-probe FILE ink X0 Y0 X1 Y1  -> pixels with ink in [X0,X1) x [Y0,Y1)
 *        png-probe FILE bbox X0 Y0 X1 Y1 -> "x0 y0 x1 y1" of the ink there
 *                                        (inclusive), or "none"
 * Ink: a channel at least 48 below 255 after compositing over white (the
 * faint edge of anti-aliased text is not ink).  Exit 0, or 1 with a
 * one-line message naming the file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define INK_BELOW 207		/* a channel <= this is ink */

static const char *fname;

static void
die(const char *what)
{
	fprintf(stderr, "png-probe: %s: %s\n", fname, what);
	exit(1);
}

/* ======================= Inflate (RFC 1951) ======================= */

struct bits {
	const uint8_t *p;
	size_t n, pos;			/* bytes, byte position */
	unsigned bit;			/* bits of p[pos] consumed */
};

struct out {
	uint8_t *b;
	size_t n, cap;
};

/* Next n bits (LSB first). */
static unsigned
bits_get(struct bits *s, int n)
{
	unsigned v = 0;

	for (int i = 0; i < n; i++) {
		if (s->pos >= s->n)
			die("compressed data ends early");
		v |= (unsigned)((s->p[s->pos] >> s->bit) & 1) << i;
		if (++s->bit == 8) {
			s->bit = 0;
			s->pos++;
		}
	}
	return v;
}

/* realloc() that ends the program when memory runs out (never returns NULL). */
static void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (q == NULL)
		die("out of memory");
	return q;
}

static void
out_put(struct out *o, uint8_t c)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 1 << 16;
		o->b = xrealloc(o->b, o->cap);
	}
	o->b[o->n++] = c;
}

/* A canonical Huffman code: count of codes per length, symbols by code. */
struct huff {
	uint16_t count[16];
	uint16_t sym[320];
};

/* Builds h from code lengths len[0..n); unused symbols have length 0. */
static void
huff_build(struct huff *h, const uint8_t *len, int n)
{
	uint16_t offs[16];

	memset(h->count, 0, sizeof(h->count));
	for (int i = 0; i < n; i++)
		h->count[len[i]]++;
	h->count[0] = 0;
	offs[1] = 0;
	for (int l = 1; l < 15; l++)
		offs[l + 1] = offs[l] + h->count[l];
	for (int i = 0; i < n; i++)
		if (len[i] != 0)
			h->sym[offs[len[i]]++] = (uint16_t)i;
}

/* Decodes one symbol: codes of each length are consecutive numbers. */
static int
huff_decode(struct bits *s, const struct huff *h)
{
	int code = 0, first = 0, index = 0;

	for (int l = 1; l < 16; l++) {
		code |= (int)bits_get(s, 1);
		if (code - first < h->count[l])
			return h->sym[index + code - first];
		index += h->count[l];
		first = (first + h->count[l]) << 1;
		code <<= 1;
	}
	die("bad Huffman code");
	return -1;
}

static const uint16_t len_base[29] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23,
	27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258 };
static const uint8_t len_extra[29] = { 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
	3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0 };
static const uint16_t dist_base[30] = { 1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97,
	129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289,
	16385, 24577 };
static const uint8_t dist_extra[30] = { 0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6,
	7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13 };

/* Inflates one block coded with lit (literal/length) and dist. */
static void
inflate_codes(struct bits *s, struct out *o, const struct huff *lit, const struct huff *dist)
{
	for (;;) {
		int sym = huff_decode(s, lit);
		if (sym < 256) {
			out_put(o, (uint8_t)sym);
			continue;
		}
		if (sym == 256)
			return;
		sym -= 257;
		if (sym >= 29)
			die("bad length code");
		size_t len = len_base[sym] + bits_get(s, len_extra[sym]);
		int d = huff_decode(s, dist);
		if (d >= 30)
			die("bad distance code");
		size_t back = dist_base[d] + bits_get(s, dist_extra[d]);
		if (back > o->n)
			die("distance too far back");
		for (size_t i = 0; i < len; i++)
			out_put(o, o->b[o->n - back]);
	}
}

/* The fixed codes of block type 1. */
static void
inflate_fixed(struct bits *s, struct out *o)
{
	uint8_t len[288];
	struct huff lit, dist;

	for (int i = 0; i < 288; i++)
		len[i] = i < 144 ? 8 : i < 256 ? 9 : i < 280 ? 7 : 8;
	huff_build(&lit, len, 288);
	for (int i = 0; i < 30; i++)
		len[i] = 5;
	huff_build(&dist, len, 30);
	inflate_codes(s, o, &lit, &dist);
}

/* Block type 2: the code lengths come first, themselves Huffman-coded. */
static void
inflate_dynamic(struct bits *s, struct out *o)
{
	static const uint8_t order[19] = { 16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12,
		3, 13, 2, 14, 1, 15 };
	uint8_t len[320] = { 0 };
	struct huff lencode, lit, dist;
	int nlen = (int)bits_get(s, 5) + 257, ndist = (int)bits_get(s, 5) + 1;
	int ncode = (int)bits_get(s, 4) + 4, i = 0;

	for (int k = 0; k < ncode; k++)
		len[order[k]] = (uint8_t)bits_get(s, 3);
	huff_build(&lencode, len, 19);
	memset(len, 0, sizeof(len));
	while (i < nlen + ndist) {
		int sym = huff_decode(s, &lencode), rep = 0, val = 0;
		if (sym < 16) {
			len[i++] = (uint8_t)sym;
			continue;
		}
		if (sym == 16) {
			if (i == 0)
				die("repeat with no previous length");
			val = len[i - 1];
			rep = 3 + (int)bits_get(s, 2);
		} else
			rep = sym == 17 ? 3 + (int)bits_get(s, 3) : 11 + (int)bits_get(s, 7);
		if (i + rep > nlen + ndist)
			die("too many code lengths");
		while (rep-- > 0)
			len[i++] = (uint8_t)val;
	}
	huff_build(&lit, len, nlen);
	huff_build(&dist, len + nlen, ndist);
	inflate_codes(s, o, &lit, &dist);
}

/* Inflates a zlib stream (RFC 1950; the Adler-32 is not checked). */
static void
inflate_zlib(const uint8_t *p, size_t n, struct out *o)
{
	struct bits s = { p, n, 2, 0 };
	int last;

	if (n < 2 || (p[0] & 0x0f) != 8 || ((p[0] << 8) | p[1]) % 31 != 0 || (p[1] & 0x20))
		die("image data is not a zlib stream");
	do {
		last = (int)bits_get(&s, 1);
		switch (bits_get(&s, 2)) {
		case 0:
			if (s.bit != 0) {
				s.bit = 0;
				s.pos++;
			}
			if (s.pos + 4 > s.n)
				die("stored block ends early");
			size_t len = s.p[s.pos] | (size_t)s.p[s.pos + 1] << 8;
			s.pos += 4;
			if (s.pos + len > s.n)
				die("stored block ends early");
			for (size_t i = 0; i < len; i++)
				out_put(o, s.p[s.pos++]);
			break;
		case 1: inflate_fixed(&s, o); break;
		case 2: inflate_dynamic(&s, o); break;
		default: die("bad block type");
		}
	} while (!last);
}

/* ======================= PNG ======================= */

struct image {
	uint32_t w, h;
	uint8_t *rgb;			/* w * h * 3, composited over white */
};

static uint32_t
be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Reads the whole file. */
static uint8_t *
slurp(size_t *n)
{
	FILE *f = fopen(fname, "rb");
	uint8_t *b = NULL;
	size_t cap = 0;

	if (f == NULL)
		die("cannot open");
	*n = 0;
	for (;;) {
		if (*n == cap)
			b = xrealloc(b, cap = cap ? cap * 2 : 1 << 20);
		size_t k = fread(b + *n, 1, cap - *n, f);
		if (k == 0)
			break;
		*n += k;
	}
	fclose(f);
	return b;
}

static int
paeth(int a, int b, int c)
{
	int p = a + b - c, pa = abs(p - a), pb = abs(p - b), pc = abs(p - c);

	return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

/* Undoes the scanline filters in place; raw has h rows of 1 + stride bytes. */
static void
unfilter(uint8_t *raw, uint32_t h, size_t stride, int bpp)
{
	for (uint32_t y = 0; y < h; y++) {
		uint8_t *row = raw + y * (stride + 1), *cur = row + 1;
		uint8_t *prev = y ? raw + (y - 1) * (stride + 1) + 1 : NULL;
		for (size_t x = 0; x < stride; x++) {
			int a = x >= (size_t)bpp ? cur[x - bpp] : 0, b = prev ? prev[x] : 0;
			int c = prev && x >= (size_t)bpp ? prev[x - bpp] : 0;
			switch (row[0]) {
			case 0: break;
			case 1: cur[x] = (uint8_t)(cur[x] + a); break;
			case 2: cur[x] = (uint8_t)(cur[x] + b); break;
			case 3: cur[x] = (uint8_t)(cur[x] + (a + b) / 2); break;
			case 4: cur[x] = (uint8_t)(cur[x] + paeth(a, b, c)); break;
			default: die("bad filter type");
			}
		}
	}
}

/* Channel v with alpha a over white. */
static uint8_t
over_white(int v, int a)
{
	return (uint8_t)((v * a + 255 * (255 - a) + 127) / 255);
}

/* Decodes the file into img. */
static void
png_read(struct image *img)
{
	static const uint8_t sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t n, pos = 8, zn = 0, stride;
	uint8_t *b = slurp(&n), *z = NULL, pal[256 * 3];
	int type = -1, ch = 0, npal = 0;
	struct out raw = { NULL, 0, 0 };

	if (n < 8 || memcmp(b, sig, 8) != 0)
		die("not a PNG");
	while (pos + 12 <= n) {
		uint32_t len = be32(b + pos);
		const uint8_t *t = b + pos + 4, *d = b + pos + 8;
		if (len > n - pos - 12)
			die("chunk runs past the end");
		if (memcmp(t, "IHDR", 4) == 0 && len >= 13) {
			img->w = be32(d);
			img->h = be32(d + 4);
			type = d[9];
			if (d[8] != 8 || d[12] != 0)
				die("only 8-bit, non-interlaced images");
		} else if (memcmp(t, "PLTE", 4) == 0) {
			npal = (int)(len / 3 > 256 ? 256 : len / 3);
			memcpy(pal, d, (size_t)npal * 3);
		} else if (memcmp(t, "IDAT", 4) == 0) {
			z = xrealloc(z, zn + len + 1);
			memcpy(z + zn, d, len);
			zn += len;
		} else if (memcmp(t, "IEND", 4) == 0)
			break;
		pos += 12 + (size_t)len;
	}
	ch = type == 0 ? 1 : type == 2 ? 3 : type == 3 ? 1 : type == 4 ? 2 : type == 6 ? 4 : 0;
	if (ch == 0 || img->w == 0 || img->h == 0 || img->w > 20000 || img->h > 20000)
		die("unsupported colour type or size");
	inflate_zlib(z, zn, &raw);
	stride = (size_t)img->w * (size_t)ch;
	if (raw.n < (stride + 1) * img->h)
		die("image data too short");
	unfilter(raw.b, img->h, stride, ch);
	img->rgb = malloc((size_t)img->w * img->h * 3);
	if (img->rgb == NULL)
		die("out of memory");
	for (uint32_t y = 0; y < img->h; y++)
		for (uint32_t x = 0; x < img->w; x++) {
			const uint8_t *px = raw.b + y * (stride + 1) + 1 + (size_t)x * ch;
			uint8_t *o = img->rgb + ((size_t)y * img->w + x) * 3;
			int a = ch == 2 ? px[1] : ch == 4 ? px[3] : 255;
			for (int k = 0; k < 3; k++) {
				int v = ch <= 2 ? px[0] : px[k];
				if (type == 3)
					v = px[0] < npal ? pal[px[0] * 3 + k] : 0;
				o[k] = over_white(v, a);
			}
		}
	free(raw.b);
	free(z);
	free(b);
}

/* ======================= Questions ======================= */

static int
is_ink(const uint8_t *p)
{
	return p[0] <= INK_BELOW || p[1] <= INK_BELOW || p[2] <= INK_BELOW;
}

static int
cmp_count(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x >> 24) < (y >> 24) ? 1 : (x >> 24) > (y >> 24) ? -1 : 0;
}

/*
 * Prints the nshow most common colours; with top, white is left out, and
 * with top == 2 every colour that is not a grey level.
 */
static void
colors(const struct image *img, int top, int nshow)
{
	uint32_t *count = calloc(1u << 24, sizeof(*count));
	uint64_t *list;
	size_t nlist = 0, total = (size_t)img->w * img->h;

	if (count == NULL || (list = malloc(sizeof(*list) << 16)) == NULL)
		die("out of memory");
	for (size_t i = 0; i < total; i++) {
		const uint8_t *p = img->rgb + i * 3;
		count[(uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2]]++;
	}
	for (uint32_t c = 0; c < (1u << 24) && nlist < (1u << 16); c++)
		if (count[c] > 0 && !(top && c == 0xffffff) &&
		    !(top == 2 && ((c >> 16) != (c & 0xff) || ((c >> 8) & 0xff) != (c & 0xff))))
			list[nlist++] = (uint64_t)count[c] << 24 | c;
	qsort(list, nlist, sizeof(*list), cmp_count);
	if (top && nlist == 0)
		puts("none 0");
	for (size_t i = 0; i < nlist && (int)i < nshow; i++)
		printf("#%06x %.3f\n", (unsigned)(list[i] & 0xffffff),
		    100.0 * (double)(list[i] >> 24) / (double)total);
	free(list);
	free(count);
}

/* Ink count or bounding box in [x0,x1) x [y0,y1), clipped to the image. */
static void
region(const struct image *img, char **a, int bbox)
{
	long x0 = atol(a[0]), y0 = atol(a[1]), x1 = atol(a[2]), y1 = atol(a[3]);
	long n = 0, bx0 = -1, by0 = -1, bx1 = -1, by1 = -1;

	x0 = x0 < 0 ? 0 : x0;
	y0 = y0 < 0 ? 0 : y0;
	x1 = x1 > (long)img->w ? (long)img->w : x1;
	y1 = y1 > (long)img->h ? (long)img->h : y1;
	for (long y = y0; y < y1; y++)
		for (long x = x0; x < x1; x++) {
			if (!is_ink(img->rgb + ((size_t)y * img->w + (size_t)x) * 3))
				continue;
			n++;
			bx0 = bx0 < 0 || x < bx0 ? x : bx0;
			bx1 = x > bx1 ? x : bx1;
			by0 = by0 < 0 ? y : by0;
			by1 = y;
		}
	if (!bbox)
		printf("%ld\n", n);
	else if (n == 0)
		puts("none");
	else
		printf("%ld %ld %ld %ld\n", bx0, by0, bx1, by1);
}

int
main(int argc, char **argv)
{
	struct image img = { 0, 0, NULL };

	if (argc < 3) {
		fputs("usage: png-probe FILE size|top [grey]|colors N|ink X0 Y0 X1 Y1|bbox X0 Y0 X1 Y1\n",
		    stderr);
		return 2;
	}
	fname = argv[1];
	png_read(&img);
	if (strcmp(argv[2], "size") == 0)
		printf("%ux%u\n", img.w, img.h);
	else if (strcmp(argv[2], "top") == 0)
		colors(&img, argc > 3 && strcmp(argv[3], "grey") == 0 ? 2 : 1, 1);
	else if (strcmp(argv[2], "colors") == 0 && argc == 4)
		colors(&img, 0, atoi(argv[3]));
	else if ((strcmp(argv[2], "ink") == 0 || strcmp(argv[2], "bbox") == 0) && argc == 7)
		region(&img, argv + 3, argv[2][0] == 'b');
	else {
		fputs("png-probe: unknown question\n", stderr);
		return 2;
	}
	free(img.rgb);
	return 0;
}
