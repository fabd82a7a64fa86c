/*
 * cmn_xml.h - XML's entity and character references (&amp; &#233; &#xE9;)
 * decoded to UTF-8, for the Info.plist reader of the recorder and the
 * powermetrics plist parser of the analyzer.  References follow XML 1.0
 * (4.1, 4.6): the five predefined entities, and &#N; / &#xH; of a Char
 * (U+9, U+A, U+D, U+20..U+D7FF, U+E000..U+FFFD, U+10000..U+10FFFF).  It does
 * not parse elements, CDATA or comments.
 */
#ifndef CMN_XML_H
#define CMN_XML_H

#include <stddef.h>

/*
 * Decodes the reference at the start of s[0..n) (s[0] is '&') into out:
 * returns the number of UTF-8 bytes written (1 to 4) and sets *used to the
 * reference's length, '&' and ';' included.  Returns 0 (out and *used
 * untouched) when s does not start with a reference that XML allows: an
 * unknown name, no ';' within 12 bytes, a number that is no Char.
 */
size_t cmn_xml_ref(const char *s, size_t n, char out[4], size_t *used);

/*
 * Copies s[0..n) into dst (cap bytes), every reference decoded; text that
 * is no reference (a lone '&') is copied as it is.  Stops when dst is full
 * (a decoded reference is never cut).  Returns the bytes written (no NUL).
 */
size_t cmn_xml_unescape(char *dst, size_t cap, const char *s, size_t n);

#endif /* CMN_XML_H */
