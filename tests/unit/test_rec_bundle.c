/*
 * test_rec_bundle.c - unit tests of record/rec_bundle.c (Info.plist path,
 * XML version extractor; the files are read by cmn_file_read) on the strings below and the files
 * in tests/data/darwin/ (see its README).  Expected values are read off
 * those inputs by hand.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cmn_file.h"
#include "rec_bundle.h"
#include "tap.h"

static char data_dir[1024];		/* .../tests/data/darwin/ */

/* Derives tests/data/darwin/ from this file's path (tests/unit/...). */
static void
set_data_dir(void)
{
	const char *f = __FILE__, *u = strstr(f, "unit/test_rec_bundle.c");
	size_t n = u ? (size_t)(u - f) : 0;

	if (n + sizeof("data/darwin/") > sizeof(data_dir))
		n = 0;
	memcpy(data_dir, f, n);
	strcpy(data_dir + n, u ? "data/darwin/" : "tests/data/darwin/");
}

/* Returns data_dir + name in a static buffer. */
static const char *
data_path(const char *name)
{
	static char p[1200];

	strcpy(p, data_dir);
	strncat(p, name, sizeof(p) - strlen(p) - 1);
	return p;
}

/* One path case: executable path, expected return and Info.plist path. */
struct path_case {
	const char *exe;		/* input */
	int ret;			/* expected return */
	const char *plist;		/* expected output when ret == 0 */
};

static const struct path_case path_cases[] = {
	{ "/Applications/Phocus.app/Contents/MacOS/Phocus", 0,
	  "/Applications/Phocus.app/Contents/Info.plist" },
	{ "/Applications/Phocus.app/Contents/Frameworks/Helper.app/Contents/MacOS/Helper", 0,
	  "/Applications/Phocus.app/Contents/Frameworks/Helper.app/Contents/Info.plist" },
	{ "/Applications/Phocus 4.app/Contents/MacOS/Phocus 4", 0,
	  "/Applications/Phocus 4.app/Contents/Info.plist" },
	{ "/Applications//Phocus.app//Contents/MacOS//Phocus", 0,
	  "/Applications//Phocus.app/Contents/Info.plist" },
	{ "/Applications/Phocus.app/contents/macos/Phocus", 0,
	  "/Applications/Phocus.app/Contents/Info.plist" },
	{ "Phocus.app/Contents/MacOS/Phocus", 0, "Phocus.app/Contents/Info.plist" },
	{ "/Library/Foo.bundle/Contents/MacOS/Foo", 0,
	  "/Library/Foo.bundle/Contents/Info.plist" },
	{ "/usr/bin/python3", -ENOENT, "" },
	{ "/Applications/Phocus.app/Contents/Resources/tool", -ENOENT, "" },
	{ "/Applications/Phocus.app/Contents/MacOS/", -ENOENT, "" },
	{ "/Applications/Phocus.app/Contents/MacOS/..", -ENOENT, "" },
	{ "/Applications/Phocus/Contents/MacOS/Phocus", -ENOENT, "" },
	{ "/Applications/.app/Contents/MacOS/x", -ENOENT, "" },
	{ "/Applications/Phocus./Contents/MacOS/x", -ENOENT, "" },
	{ "/Contents/MacOS/Phocus", -ENOENT, "" },
	{ "Contents/MacOS/Phocus", -ENOENT, "" },
	{ "MacOS/Phocus", -ENOENT, "" },
	{ "Phocus", -ENOENT, "" },
	{ "/", -ENOENT, "" },
	{ "", -EINVAL, "" },
};

/* Runs every row of path_cases[], then the buffer-size edges. */
static void
test_plist_path(void)
{
	const char *exe = "/A.app/Contents/MacOS/A";
	char out[256];
	size_t i;

	for (i = 0; i < sizeof(path_cases) / sizeof(path_cases[0]); i++) {
		const struct path_case *t = &path_cases[i];
		CHECK_I64(rec_bundle_find_plist(t->exe, out, sizeof(out)),
		    t->ret, t->exe);
		CHECK_STR(out, t->plist, t->exe);
	}
	/* "/A.app/Contents/Info.plist" is 26 bytes: needs 27 with the NUL. */
	CHECK_I64(rec_bundle_find_plist(exe, out, 27), 0, "exact fit");
	CHECK_STR(out, "/A.app/Contents/Info.plist", "exact fit: path");
	CHECK_I64(rec_bundle_find_plist(exe, out, 26), -ENAMETOOLONG,
	    "one byte short");
	CHECK_STR(out, "", "one byte short: out emptied");
	CHECK_I64(rec_bundle_find_plist(NULL, out, sizeof(out)), -EINVAL,
	    "NULL exe");
	CHECK_I64(rec_bundle_find_plist(exe, NULL, 0), -EINVAL, "NULL out");
}

/* Reads file name and returns rec_bundle_get_xml_version()'s result in out. */
static int
version_of(const char *name, char *out, size_t out_len)
{
	char *d;
	size_t n;
	int r;

	if ((r = cmn_file_read(data_path(name), REC_BUNDLE_PLIST_MAX,
	    CMN_FILE_REGULAR, &d, &n)) != 0)
		return 1000 + r;
	r = rec_bundle_get_xml_version(d, n, out, out_len);
	free(d);
	return r;
}

/* The sample Info.plist files. */
static void
test_files(void)
{
	char v[128], *d;
	size_t n;

	CHECK_I64(version_of("app.plist", v, sizeof(v)), 0, "app: version");
	CHECK_STR(v, "4.0.1", "app: CFBundleShortVersionString");
	CHECK_I64(version_of("entities.plist", v, sizeof(v)), 0,
	    "entities: version");
	CHECK_STR(v, "4.0 <beta> & \"rc\" '1' \xc3\xa9" "A",
	    "entities: all five named, decimal and hex references");
	CHECK_I64(version_of("nokey.plist", v, sizeof(v)), 0, "nokey: version");
	CHECK_STR(v, "2417", "nokey: falls back to CFBundleVersion");
	CHECK_I64(version_of("noversion.plist", v, sizeof(v)), -ENOENT,
	    "noversion: nested keys do not count");
	CHECK_I64(version_of("nested.plist", v, sizeof(v)), 0, "nested: version");
	CHECK_STR(v, "4.0.1", "nested: top-level value, not a decoy");
	CHECK_I64(version_of("truncated.plist", v, sizeof(v)), -EINVAL,
	    "truncated: cut before the version");
	CHECK_STR(v, "", "truncated: out emptied");
	CHECK_I64(version_of("app.plist", v, 5), -ERANGE,
	    "app: 4 bytes room for 5");
	CHECK_I64(version_of("app.plist", v, 6), 0, "app: exact room");
	CHECK_STR(v, "4.0.1", "app: exact room: value");

	if (cmn_file_read(data_path("truncated.plist"),
	    REC_BUNDLE_PLIST_MAX, CMN_FILE_REGULAR, &d, &n) == 0) {
		CHECK_I64(rec_bundle_get_xml_string(d, n, "CFBundleExecutable", v,
		    sizeof(v)), 0, "truncated: key before the cut");
		CHECK_STR(v, "Phocus", "truncated: key before the cut: value");
		free(d);
	} else {
		CHECK(0, "read truncated.plist");
	}
	if (cmn_file_read(data_path("binary.plist"),
	    REC_BUNDLE_PLIST_MAX, CMN_FILE_REGULAR, &d, &n) == 0) {
		CHECK(rec_bundle_is_binary(d, n), "binary.plist is binary");
		free(d);
	} else {
		CHECK(0, "read binary.plist");
	}
	CHECK(!rec_bundle_is_binary("<?xml", 5), "XML is not binary");
	CHECK(!rec_bundle_is_binary("bplis", 5), "5 bytes are not binary");
	CHECK(!rec_bundle_is_binary(NULL, 8), "NULL is not binary");
}

/* One extractor case on an inline document. */
struct xml_case {
	const char *what;		/* test description */
	const char *xml;		/* the document */
	int ret;			/* expected return for key "V" */
	const char *val;		/* expected value when ret == 0 */
};

#define PL(body) "<?xml version=\"1.0\"?><plist version=\"1.0\"><dict>" body \
	"</dict></plist>"

static const struct xml_case xml_cases[] = {
	{ "simple", PL("<key>V</key><string>1.2</string>"), 0, "1.2" },
	{ "blanks and comments between", PL("<key>V</key>\n\t<!-- c -->\n"
	    "<string>1.2</string>"), 0, "1.2" },
	{ "comment inside value", PL("<key>V</key><string>1.<!-- x -->2"
	    "</string>"), 0, "1.2" },
	{ "CDATA inside value", PL("<key>V</key><string><![CDATA[a<b&c]]>"
	    "</string>"), 0, "a<b&c" },
	{ "entity in key", PL("<key>&#86;</key><string>k</string>"), 0, "k" },
	{ "whitespace kept", PL("<key>V</key><string> 1 </string>"), 0, " 1 " },
	{ "empty string element", PL("<key>V</key><string/>"), 0, "" },
	{ "empty string pair", PL("<key>V</key><string></string>"), 0, "" },
	{ "blank in tags", PL("<key >V</key ><string >2</string >"), 0, "2" },
	{ "'>' in attribute", PL("<key a=\"x>y\">V</key><string>3</string>"),
	    0, "3" },
	{ "first of two wins", PL("<key>V</key><string>1</string>"
	    "<key>V</key><string>2</string>"), 0, "1" },
	{ "longer key is another key", PL("<key>VV</key><string>1</string>"),
	    -ENOENT, "" },
	{ "key as empty element", PL("<key/><string>1</string><key>V</key>"
	    "<string>2</string>"), 0, "2" },
	{ "key in nested dict only", PL("<key>D</key><dict><key>V</key>"
	    "<string>1</string></dict>"), -ENOENT, "" },
	{ "key in array of dicts only", PL("<key>A</key><array><dict><key>V"
	    "</key><string>1</string></dict></array>"), -ENOENT, "" },
	{ "after a nested dict", PL("<key>D</key><dict><key>V</key><string>1"
	    "</string></dict><key>V</key><string>2</string>"), 0, "2" },
	{ "value is an integer", PL("<key>V</key><integer>5</integer>"),
	    -ENOENT, "" },
	{ "value is a dict", PL("<key>V</key><dict/>"), -ENOENT, "" },
	{ "no plist wrapper", "<dict><key>V</key><string>4</string></dict>",
	    0, "4" },
	{ "BOM", "\xef\xbb\xbf" PL("<key>V</key><string>5</string>"), 0, "5" },
	{ "root is an array", "<plist><array><string>V</string></array>"
	    "</plist>", -ENOENT, "" },
	{ "empty root dict", "<plist><dict/></plist>", -ENOENT, "" },
	{ "dict inside array is not root", "<plist><array><dict><key>V</key>"
	    "<string>1</string></dict></array></plist>", -ENOENT, "" },
	{ "DOCTYPE with internal subset", "<!DOCTYPE plist [ <!ENTITY x "
	    "\"y>\"> ]>" PL("<key>V</key><string>6</string>"), 0, "6" },
	{ "key without value", PL("<key>V</key>"), -EINVAL, "" },
	{ "element inside string", PL("<key>V</key><string>a<b/>c</string>"),
	    -EINVAL, "" },
	{ "wrong close tag", PL("<key>V</key><string>1</key>"), -EINVAL, "" },
	{ "unknown entity", PL("<key>V</key><string>&nbsp;</string>"),
	    -EINVAL, "" },
	{ "unterminated entity", PL("<key>V</key><string>a &amp b</string>"),
	    -EINVAL, "" },
	{ "char ref 0", PL("<key>V</key><string>&#0;</string>"), -EINVAL, "" },
	{ "char ref surrogate", PL("<key>V</key><string>&#xD800;</string>"),
	    -EINVAL, "" },
	{ "char ref above U+10FFFF", PL("<key>V</key><string>&#1114112;"
	    "</string>"), -EINVAL, "" },
	{ "char ref U+10FFFF", PL("<key>V</key><string>&#x10FFFF;</string>"),
	    0, "\xf4\x8f\xbf\xbf" },
	{ "char ref no digits", PL("<key>V</key><string>&#x;</string>"),
	    -EINVAL, "" },
	{ "unterminated comment", "<plist><dict><!-- <key>V</key>", -EINVAL,
	    "" },
	{ "cut inside the value", "<plist><dict><key>V</key><string>1.",
	    -EINVAL, "" },
	{ "cut inside a tag", "<plist><dict><key>V</key><str", -EINVAL, "" },
	{ "cut before the key", "<plist><dict><key>A</key><string>1</string>",
	    -EINVAL, "" },
	{ "stray close tag", "</dict>", -EINVAL, "" },
	{ "empty document", "", -EINVAL, "" },
	{ "text only", "hello", -EINVAL, "" },
	{ "'<' then nothing", "<", -EINVAL, "" },
	{ "nameless tag", "< >", -EINVAL, "" },
};

/* Runs every row of xml_cases[] with key "V". */
static void
test_xml_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(xml_cases) / sizeof(xml_cases[0]); i++) {
		const struct xml_case *t = &xml_cases[i];
		char out[64];
		int r;

		memset(out, 'Z', sizeof(out));
		r = rec_bundle_get_xml_string(t->xml, strlen(t->xml), "V", out,
		    sizeof(out));
		CHECK_I64(r, t->ret, t->what);
		CHECK_STR(out, t->val, t->what);
	}
}

/* Length bounds, arguments, output sizes, the version fallback rules. */
static void
test_xml_edges(void)
{
	const char *doc = PL("<key>V</key><string>12345</string>");
	const char *empty_short = PL("<key>CFBundleShortVersionString</key>"
	    "<string/><key>CFBundleVersion</key><string>77</string>");
	const char *both_empty = PL("<key>CFBundleShortVersionString</key>"
	    "<string/><key>CFBundleVersion</key><string></string>");
	const char *int_short = PL("<key>CFBundleShortVersionString</key>"
	    "<integer>3</integer><key>CFBundleVersion</key><string>78</string>");
	char out[64];
	size_t cut = strlen(doc) - strlen("45</string></dict></plist>");

	CHECK_I64(rec_bundle_get_xml_string(doc, cut, "V", out, sizeof(out)),
	    -EINVAL, "len cuts inside the value");
	CHECK_I64(rec_bundle_get_xml_string(doc, strlen(doc), "V", out, 6), 0,
	    "5 bytes + NUL fit in 6");
	CHECK_STR(out, "12345", "5 bytes + NUL: value");
	CHECK_I64(rec_bundle_get_xml_string(doc, strlen(doc), "V", out, 5),
	    -ERANGE, "5 bytes + NUL do not fit in 5");
	CHECK_STR(out, "", "ERANGE: out emptied");
	CHECK_I64(rec_bundle_get_xml_string(NULL, 3, "V", out, 8), -EINVAL,
	    "NULL document");
	CHECK_I64(rec_bundle_get_xml_string(doc, strlen(doc), "", out, 8), -EINVAL,
	    "empty key");
	CHECK_I64(rec_bundle_get_xml_string(doc, strlen(doc), "V", out, 0),
	    -EINVAL, "no room at all");
	CHECK_I64(rec_bundle_get_xml_version(empty_short, strlen(empty_short), out,
	    sizeof(out)), 0, "empty short version");
	CHECK_STR(out, "77", "empty short version: CFBundleVersion");
	CHECK_I64(rec_bundle_get_xml_version(both_empty, strlen(both_empty), out,
	    sizeof(out)), -ENOENT, "both versions empty");
	CHECK_I64(rec_bundle_get_xml_version(int_short, strlen(int_short), out,
	    sizeof(out)), 0, "short version not a string");
	CHECK_STR(out, "78", "short version not a string: CFBundleVersion");
}

int
main(void)
{
	set_data_dir();
	test_plist_path();
	test_files();
	test_xml_table();
	test_xml_edges();
	return tap_done();
}
